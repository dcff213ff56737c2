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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What the runnable service is told, and the rules it holds to: {@link ServiceCommandLine} reads it from
 * the flags and environment variables, tests build it directly.
 *
 * <p>It refuses to run open to other machines by mistake: without a token, every listener must be on a
 * loopback address (127.0.0.0/8, ::1, or a name such as {@code localhost} that resolves to loopback
 * addresses only), unless {@code allowUnauthenticated} says so.
 *
 * @param host        the interface of the HTTP API (loopback by default; {@code 0.0.0.0} in a container)
 * @param port        the HTTP port (0: a free one)
 * @param inMemory    keep everything in memory (no database at all; for demos and tests)
 * @param databaseUrl a JDBC URL (H2 or PostgreSQL); empty: embedded H2 files under {@code dataDir}
 * @param redisUrl    a Redis URL for integration events; empty: events go to the log (or to Kafka alone)
 * @param kafka       a Kafka cluster for integration events and commands; empty: none
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
                     Optional<String> redisUrl, Optional<Kafka> kafka, String adminHost, int adminPort, Optional<String> apiToken,
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

    /**
     * A Kafka cluster: where {@code Allocated} goes (topic {@code line_allocated}) and {@code ChangeBatchQuantity}
     * comes from (topic {@code change_batch_quantity}).
     *
     * @param bootstrapServers {@code host:port[,host:port...]}
     * @param properties       for every client: the security protocol, credentials, ... (from a properties file)
     */
    record Kafka(String bootstrapServers, Map<String, String> properties) {

        Kafka {
            requireNotBlank(bootstrapServers, "--kafka-bootstrap-servers");
            properties = Map.copyOf(properties);
        }

        /** The properties, as the Kafka clients take them. */
        Properties clientProperties() {
            Properties client = new Properties();
            client.putAll(properties);
            return client;
        }
    }

    private static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    ServiceConfig {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(databaseUrl, "databaseUrl must not be null");
        Objects.requireNonNull(databaseUser, "databaseUser must not be null");
        Objects.requireNonNull(databasePassword, "databasePassword must not be null");
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(redisUrl, "redisUrl must not be null");
        Objects.requireNonNull(kafka, "kafka must not be null");
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
                Path.of("data"), Optional.empty(), Optional.empty(), "127.0.0.1", 5006, Optional.empty(), false, Operations.DEFAULTS);
    }

    /** This configuration, running with {@code operations}. */
    ServiceConfig with(Operations operations) {
        return new ServiceConfig(host, port, inMemory, databaseUrl, databaseUser, databasePassword, dataDir, redisUrl,
                kafka, adminHost, adminPort, apiToken, allowUnauthenticated, operations);
    }

    /** The HTTP API's configuration: its defaults, with this host, port, token and number of workers. */
    HttpConfig http() {
        return HttpConfig.defaults().withHost(host).withPort(port).withApiToken(apiToken.orElse(null))
                .withThreads(operations.httpWorkers());
    }

    /** The environment variable of {@code flag}: ALLOCATION_ and the flag's name in capitals. */
    static String variable(String flag) {
        return "ALLOCATION_" + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
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
                + ", kafka=" + kafka.map(Kafka::bootstrapServers).orElse("-")   // its properties may hold credentials
                + ", admin=" + adminHost + ":" + adminPort + ", apiToken=" + (apiToken.isPresent() ? "***" : "none")
                + ", allowUnauthenticated=" + allowUnauthenticated + ", " + operations + "]";
    }
}
