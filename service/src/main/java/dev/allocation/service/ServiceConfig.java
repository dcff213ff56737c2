package dev.allocation.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runnable service is told: from command-line flags, else environment variables, else
 * defaults. {@link #USAGE} lists them.
 *
 * @param host        the interface the HTTP API binds
 * @param port        the HTTP port (0: a free one)
 * @param inMemory    keep everything in memory (no database at all; for demos and tests)
 * @param databaseUrl a JDBC URL (H2 or PostgreSQL); empty: embedded H2 files under {@code dataDir}
 * @param databaseUser     the database user, with {@code databaseUrl}
 * @param databasePassword the database password, with {@code databaseUrl}
 * @param dataDir     where the embedded H2 database keeps its files
 * @param redisUrl    a Redis URL for integration events; empty: events go to the log
 */
record ServiceConfig(String host, int port, boolean inMemory, Optional<String> databaseUrl,
                     Optional<String> databaseUser, Optional<String> databasePassword, Path dataDir,
                     Optional<String> redisUrl) {

    static final int DEFAULT_PORT = 5005;

    static final String USAGE = String.join("\n",
            "Usage: java -jar allocation-service.jar [options]",
            "",
            "The allocation service: the reference HTTP API, storage in a database, integration events through Redis.",
            "Every option can also be given as an environment variable; a flag wins over the variable.",
            "",
            "  --port <n>             ALLOCATION_PORT         HTTP port (default 5005; 0 picks a free one)",
            "  --host <address>       ALLOCATION_HOST         interface to listen on (default 0.0.0.0)",
            "  --db-url <jdbc-url>    ALLOCATION_DB_URL       JDBC URL of H2 or PostgreSQL, e.g.",
            "                                                 jdbc:postgresql://localhost:5432/allocation",
            "                                                 (default: embedded H2 files under --data-dir)",
            "  --db-user <name>       ALLOCATION_DB_USER      database user",
            "  --db-password <secret> ALLOCATION_DB_PASSWORD  database password (prefer the variable: flags show in ps)",
            "  --data-dir <path>      ALLOCATION_DATA_DIR     folder of the embedded H2 database (default ./data)",
            "  --in-memory            ALLOCATION_IN_MEMORY    keep everything in memory, gone at exit (true/false)",
            "  --redis-url <url>      ALLOCATION_REDIS_URL    Redis for integration events, e.g. redis://localhost:6379",
            "                                                 (default: none, events go to the log)",
            "  --help                                         print this and exit",
            "");

    ServiceConfig {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(databaseUrl, "databaseUrl must not be null");
        Objects.requireNonNull(databaseUser, "databaseUser must not be null");
        Objects.requireNonNull(databasePassword, "databasePassword must not be null");
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(redisUrl, "redisUrl must not be null");
        if (port < 0 || port > 65_535) {
            throw new UsageError("--port must be between 0 and 65535, was " + port);
        }
        if (inMemory && databaseUrl.isPresent()) {
            throw new UsageError("--in-memory and --db-url exclude each other");
        }
    }

    /** Every default: port 5005 on all interfaces, embedded H2 under ./data, no Redis. */
    static ServiceConfig defaults() {
        return new ServiceConfig("0.0.0.0", DEFAULT_PORT, false, Optional.empty(), Optional.empty(),
                Optional.empty(), Path.of("data"), Optional.empty());
    }

    /** A free port on the loopback interface, everything in memory: what tests start. */
    static ServiceConfig forTests() {
        return defaults().withPort(0).withHost("127.0.0.1").withInMemory(true);
    }

    ServiceConfig withPort(int port) {
        return new ServiceConfig(host, port, inMemory, databaseUrl, databaseUser, databasePassword, dataDir, redisUrl);
    }

    ServiceConfig withHost(String host) {
        return new ServiceConfig(host, port, inMemory, databaseUrl, databaseUser, databasePassword, dataDir, redisUrl);
    }

    ServiceConfig withInMemory(boolean inMemory) {
        return new ServiceConfig(host, port, inMemory, databaseUrl, databaseUser, databasePassword, dataDir, redisUrl);
    }

    ServiceConfig withDatabase(String url, String user, String password) {
        return new ServiceConfig(host, port, false, Optional.of(url), Optional.ofNullable(user),
                Optional.ofNullable(password), dataDir, redisUrl);
    }

    ServiceConfig withDataDir(Path dataDir) {
        return new ServiceConfig(host, port, inMemory, databaseUrl, databaseUser, databasePassword, dataDir, redisUrl);
    }

    ServiceConfig withRedisUrl(String redisUrl) {
        return new ServiceConfig(host, port, inMemory, databaseUrl, databaseUser, databasePassword, dataDir,
                Optional.of(redisUrl));
    }

    /**
     * Reads the flags ({@code --name value} or {@code --name=value}) over the environment.
     *
     * @return empty when {@code --help} was asked for
     * @throws UsageError naming the flag or variable that is wrong
     */
    static Optional<ServiceConfig> parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new java.util.HashMap<>();
        for (Option option : Option.values()) {
            String fromEnv = env.get(option.env);
            if (fromEnv != null && !fromEnv.isEmpty()) {
                values.put(option.flag, fromEnv);
            }
        }
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            if (arg.equals("--help") || arg.equals("-h")) {
                return Optional.empty();
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            Option option = Option.byFlag(name)
                    .orElseThrow(() -> new UsageError("Unknown option " + name + " (--help lists them)"));
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (option == Option.IN_MEMORY) {
                value = "true";
            } else if (rest.isEmpty() || rest.get(0).startsWith("--")) {
                throw new UsageError(option.flag + " needs a value");
            } else {
                value = rest.remove(0);
            }
            values.put(option.flag, value);
        }
        return Optional.of(from(values));
    }

    private static ServiceConfig from(Map<String, String> values) {
        ServiceConfig config = defaults();
        String port = values.get(Option.PORT.flag);
        if (port != null) {
            try {
                config = config.withPort(Integer.parseInt(port.trim()));
            } catch (NumberFormatException e) {
                throw new UsageError("--port (ALLOCATION_PORT) must be a number, was \"" + port + "\"");
            }
        }
        if (values.containsKey(Option.HOST.flag)) {
            config = config.withHost(values.get(Option.HOST.flag));
        }
        if (values.containsKey(Option.DATA_DIR.flag)) {
            config = config.withDataDir(Path.of(values.get(Option.DATA_DIR.flag)));
        }
        String inMemory = values.get(Option.IN_MEMORY.flag);
        if (inMemory != null) {
            if (!inMemory.equalsIgnoreCase("true") && !inMemory.equalsIgnoreCase("false")) {
                throw new UsageError("--in-memory (ALLOCATION_IN_MEMORY) must be true or false, was \"" + inMemory + "\"");
            }
            config = config.withInMemory(Boolean.parseBoolean(inMemory));
        }
        String url = values.get(Option.DB_URL.flag);
        if (url != null) {
            if (!url.startsWith("jdbc:")) {
                throw new UsageError("--db-url (ALLOCATION_DB_URL) must be a JDBC URL starting with jdbc:, was \"" + url + "\"");
            }
            if (config.inMemory()) {
                throw new UsageError("--in-memory and --db-url exclude each other");
            }
            config = config.withDatabase(url, values.get(Option.DB_USER.flag), values.get(Option.DB_PASSWORD.flag));
        } else if (values.containsKey(Option.DB_USER.flag) || values.containsKey(Option.DB_PASSWORD.flag)) {
            throw new UsageError("--db-user and --db-password need --db-url (ALLOCATION_DB_URL)");
        }
        String redis = values.get(Option.REDIS_URL.flag);
        if (redis != null) {
            if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
                throw new UsageError("--redis-url (ALLOCATION_REDIS_URL) must start with redis:// or rediss://, was \""
                        + redis + "\"");
            }
            config = config.withRedisUrl(redis);
        }
        return config;
    }

    /** Every option: its flag and its environment variable. */
    private enum Option {
        PORT("--port", "ALLOCATION_PORT"),
        HOST("--host", "ALLOCATION_HOST"),
        DB_URL("--db-url", "ALLOCATION_DB_URL"),
        DB_USER("--db-user", "ALLOCATION_DB_USER"),
        DB_PASSWORD("--db-password", "ALLOCATION_DB_PASSWORD"),
        DATA_DIR("--data-dir", "ALLOCATION_DATA_DIR"),
        IN_MEMORY("--in-memory", "ALLOCATION_IN_MEMORY"),
        REDIS_URL("--redis-url", "ALLOCATION_REDIS_URL");

        final String flag;
        final String env;

        Option(String flag, String env) {
            this.flag = flag;
            this.env = env;
        }

        static Optional<Option> byFlag(String flag) {
            for (Option option : values()) {
                if (option.flag.equals(flag)) {
                    return Optional.of(option);
                }
            }
            return Optional.empty();
        }
    }

    /** A flag or variable the service cannot use; the message names it. */
    static final class UsageError extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {   // never the password
        return "ServiceConfig[host=" + host + ", port=" + port + ", inMemory=" + inMemory + ", databaseUrl="
                + databaseUrl.orElse("-") + ", databaseUser=" + databaseUser.orElse("-") + ", dataDir=" + dataDir
                + ", redisUrl=" + redisUrl.map(ServiceConfig::withoutCredentials).orElse("-") + "]";
    }

    /** A URL with any {@code user:password@} masked. */
    static String withoutCredentials(String url) {
        return url.replaceFirst("//[^/@]*@", "//***@");
    }
}
