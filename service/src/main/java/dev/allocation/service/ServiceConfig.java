package dev.allocation.service;

import dev.allocation.adapters.http.HttpConfig;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.domain.Identifier;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>It refuses to run open to other machines by mistake: without a token, every listener must be on a
 * loopback address (127.0.0.0/8, ::1, or a name such as {@code localhost} that resolves to loopback
 * addresses only), unless {@code allowUnauthenticated} says so.
 *
 * @param host        the interface of the HTTP API (loopback by default; {@code 0.0.0.0} in a container)
 * @param port        the HTTP port (0: a free one)
 * @param inMemory    keep everything in memory (no database at all; for demos and tests)
 * @param databaseUrl a JDBC URL (H2 or PostgreSQL); empty: embedded H2 files under {@code dataDir}
 * @param redisUrl    a Redis URL for integration events; empty: events go to the log
 * @param adminHost   the interface of the admin API (loopback by default; it asks for the API's token when one is set)
 * @param adminPort   the admin API's port (0: a free one)
 * @param apiToken    a bearer token every route of the HTTP API but the health checks asks for; empty: none.
 *                    Never empty, blank, with whitespace around it or a control character in it: no request
 *                    could send it
 * @param allowUnauthenticated run without a token on an address other machines reach (said in a warning)
 * @param operations  how it runs: locking, pool, workers, shutdown grace, recipient, logging
 */
record ServiceConfig(String host, int port, boolean inMemory, Optional<String> databaseUrl,
                     Optional<String> databaseUser, Optional<String> databasePassword, Path dataDir,
                     Optional<String> redisUrl, String adminHost, int adminPort, Optional<String> apiToken,
                     boolean allowUnauthenticated, Operations operations) {

    /**
     * How the service runs, each with a flag and a variable.
     *
     * @param locking             optimistic (conflicts retried) or pessimistic (rows locked: for hot skus)
     * @param poolSize            connections of the database pool
     * @param httpWorkers         threads that handle HTTP requests at once
     * @param shutdownGrace       how long a stop waits for the requests in flight
     * @param outOfStockRecipient who is told when a sku runs out of stock
     * @param logLevel            the level of the service's own log lines
     * @param logFormat           {@code text} (one line per event) or {@code json} (one object per line)
     */
    record Operations(Locking locking, int poolSize, int httpWorkers, Duration shutdownGrace, String outOfStockRecipient,
                      String logLevel, String logFormat) {

        /** Optimistic locking, 16 connections, 16 HTTP workers, 10 s of grace, stock@made.com, INFO, text. */
        static final Operations DEFAULTS = new Operations(Locking.OPTIMISTIC, 16, HttpConfig.defaults().threads(),
                Duration.ofSeconds(10), "stock@made.com", "INFO", "text");

        Operations {
            Objects.requireNonNull(locking, "locking must not be null");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace must not be null");
            if (poolSize < 1 || poolSize > 1_000) {
                throw new UsageError("--pool-size must be between 1 and 1000, was " + poolSize);
            }
            if (httpWorkers < 1 || httpWorkers > 1_000) {
                throw new UsageError("--http-workers must be between 1 and 1000, was " + httpWorkers);
            }
            if (shutdownGrace.isNegative() || shutdownGrace.compareTo(Duration.ofHours(1)) > 0) {
                throw new UsageError("--shutdown-grace must be between 0 and 3600 seconds, was "
                        + shutdownGrace.toSeconds());
            }
            try {
                Identifier.require(outOfStockRecipient, "--out-of-stock-recipient");
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new UsageError(e.getMessage());
            }
            if (!LOG_LEVELS.contains(String.valueOf(logLevel).toUpperCase(Locale.ROOT))) {
                throw new UsageError("--log-level must be one of " + String.join(", ", LOG_LEVELS) + ", was " + logLevel);
            }
            logLevel = logLevel.toUpperCase(Locale.ROOT);
            if (!List.of("text", "json").contains(String.valueOf(logFormat).toLowerCase(Locale.ROOT))) {
                throw new UsageError("--log-format must be text or json, was " + logFormat);
            }
            logFormat = logFormat.toLowerCase(Locale.ROOT);
        }
    }

    private static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    static final String USAGE = String.join("\n",
            "Usage: java -jar allocation-service.jar [options]",
            "",
            "The allocation service: the reference HTTP API, storage in a database, integration events through Redis.",
            "Every option can also be given as an environment variable; a flag wins over the variable.",
            "",
            "  --port <n>             ALLOCATION_PORT         HTTP port (default 5005; 0 picks a free one)",
            "  --host <address>       ALLOCATION_HOST         interface to listen on (default 127.0.0.1, this machine",
            "                                                 only; 0.0.0.0 for every interface, e.g. in a container,",
            "                                                 with a token)",
            "  --api-token <secret>   ALLOCATION_API_TOKEN    bearer token every route but /health, /health/live and",
            "                                                 /health/ready asks for, the admin API's too (default:",
            "                                                 none; prefer the",
            "                                                 variable: flags show in ps). Set, it must not be empty",
            "                                                 or blank, nor begin or end with whitespace",
            "  --allow-unauthenticated",
            "                         ALLOCATION_ALLOW_UNAUTHENTICATED run without a token although --host or",
            "                                                 --admin-host is not a loopback address (true/false;",
            "                                                 default false: such a start is refused, exit code 2)",
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
            "  --admin-host <address> ALLOCATION_ADMIN_HOST   interface of the admin API (default 127.0.0.1; it asks",
            "                                                 for the token when one is set)",
            "  --locking <mode>       ALLOCATION_LOCKING      optimistic (default: conflicts are retried) or",
            "                                                 pessimistic (rows locked: better for a few hot skus)",
            "  --pool-size <n>        ALLOCATION_POOL_SIZE    database connections (default 16)",
            "  --http-workers <n>     ALLOCATION_HTTP_WORKERS requests handled at once (default 16)",
            "  --shutdown-grace <s>   ALLOCATION_SHUTDOWN_GRACE seconds a stop waits for requests in flight (default 10)",
            "  --out-of-stock-recipient <address>",
            "                         ALLOCATION_OUT_OF_STOCK_RECIPIENT who is told of an out-of-stock sku",
            "                                                 (default stock@made.com)",
            "  --log-level <level>    ALLOCATION_LOG_LEVEL    TRACE, DEBUG, INFO (default), WARN, ERROR or OFF",
            "  --log-format <format>  ALLOCATION_LOG_FORMAT   text (default) or json (one JSON object per line)",
            "  --version                                      print the version and exit",
            "  --help                                         print this and exit",
            "",
            "Readiness: GET /health/ready (and /health) answers 200 while the storage answers, else 503; Redis's",
            "state is a detail of its answer and of /metrics, never a reason for 503 (the outbox keeps the events).",
            "",
            "Exit codes: 0 stopped in order (SIGTERM, Ctrl-C) or --help, --version; 1 unexpected failure, or a",
            "stop that failed to close something; 2 bad option, or a listener other machines reach without a",
            "token; 3 a port in use; 4 the database unreachable or in use by another process; 5 Redis unreachable.",
            "");

    /** Every flag; its environment variable is ALLOCATION_ and its name in capitals ({@link #variable}). */
    private static final List<String> FLAGS = List.of("--port", "--host", "--db-url", "--db-user", "--db-password",
            "--data-dir", "--in-memory", "--redis-url", "--admin-port", "--admin-host", "--api-token",
            "--allow-unauthenticated", "--locking", "--pool-size", "--http-workers", "--shutdown-grace",
            "--out-of-stock-recipient", "--log-level", "--log-format");

    /** The flags that need no value: given alone, they mean true. */
    private static final List<String> SWITCHES = List.of("--in-memory", "--allow-unauthenticated");

    ServiceConfig {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(databaseUrl, "databaseUrl must not be null");
        Objects.requireNonNull(databaseUser, "databaseUser must not be null");
        Objects.requireNonNull(databasePassword, "databasePassword must not be null");
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(redisUrl, "redisUrl must not be null");
        Objects.requireNonNull(adminHost, "adminHost must not be null");
        Objects.requireNonNull(apiToken, "apiToken must not be null");
        Objects.requireNonNull(operations, "operations must not be null");
        apiToken.ifPresent(ServiceConfig::requireUsableToken);
        requireNotBlank(host, "--host");
        requireNotBlank(adminHost, "--admin-host");
        if (port < 0 || port > 65_535) {
            throw new UsageError("--port must be between 0 and 65535, was " + port);
        }
        if (adminPort < 0 || adminPort > 65_535) {
            throw new UsageError("--admin-port must be between 0 and 65535, was " + adminPort);
        }
        if (inMemory && databaseUrl.isPresent()) {
            throw new UsageError("--in-memory and --db-url exclude each other");
        }
        if (apiToken.isEmpty() && !allowUnauthenticated) {
            List<String> open = reachableListeners(host, adminHost);
            if (!open.isEmpty()) {
                throw new UsageError(String.join(" and ", open) + " can be reached from other machines, and no"
                        + " --api-token (ALLOCATION_API_TOKEN) is set: give one, or --allow-unauthenticated"
                        + " (ALLOCATION_ALLOW_UNAUTHENTICATED=true) to run without");
            }
        }
    }

    /** A token a request can send: not empty, not blank, no whitespace around it, no control character. */
    private static void requireUsableToken(String token) {
        if (token.isBlank()) {
            throw new UsageError("--api-token (ALLOCATION_API_TOKEN) must not be empty or blank"
                    + " (to run without a token, leave it unset)");
        }
        if (!token.equals(token.strip())) {
            throw new UsageError("--api-token (ALLOCATION_API_TOKEN) must not begin or end with whitespace:"
                    + " no request could send it");
        }
        if (token.chars().anyMatch(Character::isISOControl)) {
            throw new UsageError("--api-token (ALLOCATION_API_TOKEN) must not hold a control character:"
                    + " no request could send it");
        }
    }

    private static void requireNotBlank(String address, String flag) {
        if (address.isBlank()) {
            throw new UsageError(flag + " (" + variable(flag) + ") must not be blank");
        }
    }

    /**
     * Those of the listeners ({@code --host}, {@code --admin-host}) that other machines can reach: every
     * address but a loopback one. A name counts as loopback only when each of its addresses is; a name
     * that does not resolve is refused.
     */
    private static List<String> reachableListeners(String host, String adminHost) {
        List<String> reachable = new ArrayList<>();
        if (!isLoopback(host, "--host")) {
            reachable.add("--host " + host);
        }
        if (!isLoopback(adminHost, "--admin-host")) {
            reachable.add("--admin-host " + adminHost);
        }
        return reachable;
    }

    private static boolean isLoopback(String address, String flag) {
        try {
            return Arrays.stream(InetAddress.getAllByName(address)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException | SecurityException e) {
            throw new UsageError(flag + " (" + variable(flag) + ") " + address + " does not resolve to an address");
        }
    }

    /**
     * The listeners other machines can reach without a token, when {@link #allowUnauthenticated()} let
     * the service start so (for a warning); empty when there is a token or every listener is loopback.
     */
    List<String> unauthenticatedListeners() {
        return apiToken.isPresent() ? List.of() : reachableListeners(host, adminHost);
    }

    /**
     * Every default: the HTTP API's host (loopback) and port (5005), embedded H2 under ./data, no Redis,
     * the admin API on 127.0.0.1:5006, no token (and none allowed off loopback), {@link Operations#DEFAULTS}.
     */
    static ServiceConfig defaults() {
        HttpConfig http = HttpConfig.defaults();
        return new ServiceConfig(http.host(), http.port(), false, Optional.empty(), Optional.empty(), Optional.empty(),
                Path.of("data"), Optional.empty(), "127.0.0.1", 5006, Optional.empty(), false, Operations.DEFAULTS);
    }

    /** This configuration, running with {@code operations}. */
    ServiceConfig with(Operations operations) {
        return new ServiceConfig(host, port, inMemory, databaseUrl, databaseUser, databasePassword, dataDir, redisUrl,
                adminHost, adminPort, apiToken, allowUnauthenticated, operations);
    }

    /** The HTTP API's configuration: its defaults, with this host, port, token and number of workers. */
    HttpConfig http() {
        return HttpConfig.defaults().withHost(host).withPort(port).withApiToken(apiToken.orElse(null))
                .withThreads(operations.httpWorkers());
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
            // an empty variable counts as unset, but for the token: set empty, it would mean no authentication
            if (fromEnv != null && (!fromEnv.isEmpty() || flag.equals("--api-token"))) {
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
            } else if (SWITCHES.contains(flag)) {
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
        return new ServiceConfig(values.getOrDefault("--host", defaults.host()), port, switchedOn("--in-memory", values),
                Optional.ofNullable(url), Optional.ofNullable(values.get("--db-user")),
                Optional.ofNullable(values.get("--db-password")), dataDir, Optional.ofNullable(redis),
                values.getOrDefault("--admin-host", defaults.adminHost()), adminPort,
                Optional.ofNullable(values.get("--api-token")), switchedOn("--allow-unauthenticated", values),
                operations(values));
    }

    private static boolean switchedOn(String flag, Map<String, String> values) {
        String value = values.getOrDefault(flag, "false");
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw invalid(flag, values, "must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static Operations operations(Map<String, String> values) {
        Operations defaults = Operations.DEFAULTS;
        String locking = values.getOrDefault("--locking", defaults.locking().name()).trim().toUpperCase(Locale.ROOT);
        if (!locking.equals("OPTIMISTIC") && !locking.equals("PESSIMISTIC")) {
            throw invalid("--locking", values, "must be optimistic or pessimistic");
        }
        return new Operations(Locking.valueOf(locking), number("--pool-size", values, defaults.poolSize()),
                number("--http-workers", values, defaults.httpWorkers()),
                Duration.ofSeconds(number("--shutdown-grace", values, (int) defaults.shutdownGrace().toSeconds())),
                values.getOrDefault("--out-of-stock-recipient", defaults.outOfStockRecipient()),
                values.getOrDefault("--log-level", defaults.logLevel()),
                values.getOrDefault("--log-format", defaults.logFormat()));
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
                + ", admin=" + adminHost + ":" + adminPort + ", apiToken=" + (apiToken.isPresent() ? "***" : "none")
                + ", allowUnauthenticated=" + allowUnauthenticated + ", " + operations + "]";
    }
}
