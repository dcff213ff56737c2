package dev.allocation.service;

import dev.allocation.adapters.http.HttpConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runnable service is told: from command-line flags, else environment variables, else
 * defaults. {@link #USAGE} lists them.
 *
 * @param host        the interface of the HTTP API (loopback by default; {@code 0.0.0.0} in a container)
 * @param port        the HTTP port (0: a free one)
 * @param inMemory    keep everything in memory (no database at all; for demos and tests)
 * @param databaseUrl a JDBC URL (H2 or PostgreSQL); empty: embedded H2 files under {@code dataDir}
 * @param redisUrl    a Redis URL for integration events; empty: events go to the log
 * @param adminHost   the interface of the admin API (loopback by default: it has no authentication)
 * @param adminPort   the admin API's port (0: a free one)
 * @param apiToken    a bearer token every route of the HTTP API but {@code /health} asks for; empty: none
 */
record ServiceConfig(String host, int port, boolean inMemory, Optional<String> databaseUrl,
                     Optional<String> databaseUser, Optional<String> databasePassword, Path dataDir,
                     Optional<String> redisUrl, String adminHost, int adminPort, Optional<String> apiToken) {

    static final String USAGE = String.join("\n",
            "Usage: java -jar allocation-service.jar [options]",
            "",
            "The allocation service: the reference HTTP API, storage in a database, integration events through Redis.",
            "Every option can also be given as an environment variable; a flag wins over the variable.",
            "",
            "  --port <n>             ALLOCATION_PORT         HTTP port (default 5005; 0 picks a free one)",
            "  --host <address>       ALLOCATION_HOST         interface to listen on (default 127.0.0.1, this machine",
            "                                                 only; 0.0.0.0 for every interface, e.g. in a container)",
            "  --api-token <secret>   ALLOCATION_API_TOKEN    bearer token every route but /health asks for",
            "                                                 (default: none; prefer the variable: flags show in ps)",
            "  --db-url <jdbc-url>    ALLOCATION_DB_URL       JDBC URL of H2 or PostgreSQL, e.g.",
            "                                                 jdbc:postgresql://localhost:5432/allocation",
            "                                                 (default: embedded H2 files under --data-dir)",
            "  --db-user <name>       ALLOCATION_DB_USER      database user",
            "  --db-password <secret> ALLOCATION_DB_PASSWORD  database password (prefer the variable: flags show in ps)",
            "  --data-dir <path>      ALLOCATION_DATA_DIR     folder of the embedded H2 database (default ./data)",
            "  --in-memory            ALLOCATION_IN_MEMORY    keep everything in memory, gone at exit (true/false)",
            "  --redis-url <url>      ALLOCATION_REDIS_URL    Redis for integration events, e.g. redis://localhost:6379,",
            "                                                 redis://:password@host:6379/0, rediss:// for TLS",
            "                                                 (default: none, events go to the log)",
            "  --admin-port <n>       ALLOCATION_ADMIN_PORT   port of the admin API: the outbox's figures and dead",
            "                                                 events (default 5006; 0 picks a free one)",
            "  --admin-host <address> ALLOCATION_ADMIN_HOST   interface of the admin API (default 127.0.0.1: it has",
            "                                                 no authentication, keep it off public networks)",
            "  --help                                         print this and exit",
            "");

    /** Every flag; its environment variable is ALLOCATION_ and its name in capitals ({@link #variable}). */
    private static final List<String> FLAGS = List.of("--port", "--host", "--db-url", "--db-user", "--db-password",
            "--data-dir", "--in-memory", "--redis-url", "--admin-port", "--admin-host", "--api-token");

    ServiceConfig {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(databaseUrl, "databaseUrl must not be null");
        Objects.requireNonNull(databaseUser, "databaseUser must not be null");
        Objects.requireNonNull(databasePassword, "databasePassword must not be null");
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(redisUrl, "redisUrl must not be null");
        Objects.requireNonNull(adminHost, "adminHost must not be null");
        Objects.requireNonNull(apiToken, "apiToken must not be null");
        if (apiToken.isPresent() && apiToken.get().isBlank()) {
            throw new UsageError("--api-token must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new UsageError("--port must be between 0 and 65535, was " + port);
        }
        if (adminPort < 0 || adminPort > 65_535) {
            throw new UsageError("--admin-port must be between 0 and 65535, was " + adminPort);
        }
        if (inMemory && databaseUrl.isPresent()) {
            throw new UsageError("--in-memory and --db-url exclude each other");
        }
    }

    /**
     * Every default: the HTTP API's host (loopback) and port (5005), embedded H2 under ./data, no Redis,
     * the admin API on 127.0.0.1:5006, no token.
     */
    static ServiceConfig defaults() {
        HttpConfig http = HttpConfig.defaults();
        return new ServiceConfig(http.host(), http.port(), false, Optional.empty(), Optional.empty(), Optional.empty(),
                Path.of("data"), Optional.empty(), "127.0.0.1", 5006, Optional.empty());
    }

    /** The HTTP API's configuration: its defaults, with this host, port and token. */
    HttpConfig http() {
        return HttpConfig.defaults().withHost(host).withPort(port).withApiToken(apiToken.orElse(null));
    }

    /**
     * Reads the flags ({@code --name value} or {@code --name=value}) over the environment.
     *
     * @return empty when {@code --help} was asked for
     * @throws UsageError naming the flag or variable that is wrong
     */
    static Optional<ServiceConfig> parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (String flag : FLAGS) {
            String fromEnv = env.get(variable(flag));
            if (fromEnv != null && !fromEnv.isEmpty()) {
                values.put(flag, fromEnv);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return Optional.empty();
            }
            int equals = arg.indexOf('=');
            String flag = equals >= 0 ? arg.substring(0, equals) : arg;
            if (!FLAGS.contains(flag)) {
                throw new UsageError("Unknown option " + flag + " (--help lists them)");
            }
            if (equals >= 0) {
                values.put(flag, arg.substring(equals + 1));
            } else if (flag.equals("--in-memory")) {
                values.put(flag, "true");
            } else if (i + 1 == args.length || args[i + 1].startsWith("--")) {
                throw new UsageError(flag + " needs a value");
            } else {
                values.put(flag, args[++i]);
            }
        }
        return Optional.of(from(values));
    }

    private static ServiceConfig from(Map<String, String> values) {
        ServiceConfig defaults = defaults();
        int port = number("--port", values, defaults.port());
        int adminPort = number("--admin-port", values, defaults.adminPort());
        String inMemory = values.getOrDefault("--in-memory", "false");
        if (!inMemory.equalsIgnoreCase("true") && !inMemory.equalsIgnoreCase("false")) {
            throw invalid("--in-memory", values, "must be true or false");
        }
        String url = values.get("--db-url");
        if (url != null && !url.startsWith("jdbc:")) {
            throw invalid("--db-url", values, "must be a JDBC URL starting with jdbc:");
        }
        if (url == null && (values.containsKey("--db-user") || values.containsKey("--db-password"))) {
            throw new UsageError("--db-user and --db-password need --db-url (ALLOCATION_DB_URL)");
        }
        String redis = values.get("--redis-url");
        if (redis != null && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
            throw invalid("--redis-url", values, "must start with redis:// or rediss://");
        }
        Path dataDir = values.containsKey("--data-dir") ? Path.of(values.get("--data-dir")) : defaults.dataDir();
        return new ServiceConfig(values.getOrDefault("--host", defaults.host()), port, Boolean.parseBoolean(inMemory),
                Optional.ofNullable(url), Optional.ofNullable(values.get("--db-user")),
                Optional.ofNullable(values.get("--db-password")), dataDir, Optional.ofNullable(redis),
                values.getOrDefault("--admin-host", defaults.adminHost()), adminPort,
                Optional.ofNullable(values.get("--api-token")));
    }

    private static int number(String flag, Map<String, String> values, int otherwise) {
        if (!values.containsKey(flag)) {
            return otherwise;
        }
        try {
            return Integer.parseInt(values.get(flag).trim());
        } catch (NumberFormatException e) {
            throw invalid(flag, values, "must be a number");
        }
    }

    private static String variable(String flag) {
        return "ALLOCATION_" + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static UsageError invalid(String flag, Map<String, String> values, String problem) {
        return new UsageError(flag + " (" + variable(flag) + ") " + problem + ", was \"" + values.get(flag) + "\"");
    }

    /** A flag or variable the service cannot use; the message names it. */
    static final class UsageError extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {   // never a password nor the token
        return "ServiceConfig[host=" + host + ", port=" + port + ", inMemory=" + inMemory + ", databaseUrl="
                + databaseUrl.orElse("-") + ", databaseUser=" + databaseUser.orElse("-") + ", dataDir=" + dataDir
                + ", redisUrl=" + redisUrl.map(url -> url.replaceFirst("//[^/@]*@", "//***@")).orElse("-")
                + ", admin=" + adminHost + ":" + adminPort + ", apiToken=" + (apiToken.isPresent() ? "***" : "none") + "]";
    }
}
