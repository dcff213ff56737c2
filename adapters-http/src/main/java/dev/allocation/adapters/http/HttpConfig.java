package dev.allocation.adapters.http;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How the HTTP API listens, what it tolerates from clients and who may call it. Every bound is also
 * what the adapter's README promises: {@link #defaults()} names the values.
 *
 * @param host           the interface to bind: {@code "127.0.0.1"} (the default) keeps the API to this
 *                       machine, {@code "0.0.0.0"} opens it to every network the machine is on
 * @param port           the port; 0 picks a free one (read it back with {@link HttpApi#port()})
 * @param threads        worker threads: at most this many requests are handled at once
 * @param queueCapacity  requests that may wait for a worker once their body is read; beyond it a request
 *                       is answered 503 with {@code Retry-After} at once
 * @param maxBodyBytes   the largest request body accepted; a larger one gets 413
 * @param maxRequestTime how long a client may take to send a request's body once its headers arrived;
 *                       beyond it the request is answered 408 and its connection closed. No thread waits
 *                       meanwhile, and the time the service takes to handle it is not counted
 * @param idleTimeout    how long a connection may stay silent, whether between requests (keep-alive) or
 *                       in the middle of one, before it is closed (a request already read is answered)
 * @param maxHeaderBytes the largest request line and headers together; a longer URI gets 414, longer
 *                       headers 431
 * @param acceptQueue    the listen backlog: connections the kernel completes and holds before the server
 *                       accepts them (capped by the system, {@code net.core.somaxconn} on Linux)
 * @param apiToken       when present, every route but the health checks ({@code /health},
 *                       {@code /health/ready}, {@code /health/live}) wants the header
 *                       {@code Authorization: Bearer <token>}, else 401, and every route of the admin API
 *                       started with this configuration; never blank nor with whitespace around
 *                       it; never shown by {@link #toString()}
 * @param maxConnections the connections the listener holds open at once; at the limit it accepts no more
 *                       (they wait in the listen backlog) and closes its idle ones after a second of
 *                       silence, so that it never runs out of open files
 */
public record HttpConfig(String host, int port, int threads, int queueCapacity, int maxBodyBytes,
                         Duration maxRequestTime, Duration idleTimeout, int maxHeaderBytes, int acceptQueue,
                         Optional<String> apiToken, int maxConnections) {

    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    private static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    private static final int DEFAULT_ACCEPT_QUEUE = 1_024;
    /** Connections when the open-files limit cannot be read (a JVM on another system than Unix). */
    private static final int CONNECTIONS_UNKNOWN_LIMIT = 10_000;

    /**
     * Checks the settings: a null is refused with a {@code NullPointerException}, a value out of range
     * with an {@code IllegalArgumentException}.
     */
    public HttpConfig {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(maxRequestTime, "maxRequestTime must not be null");
        Objects.requireNonNull(idleTimeout, "idleTimeout must not be null");
        Objects.requireNonNull(apiToken, "apiToken must not be null (Optional.empty(): no token)");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        requireAtLeastOne(threads, "threads");
        requireAtLeastOne(queueCapacity, "queueCapacity");
        requireAtLeastOne(maxBodyBytes, "maxBodyBytes");
        requireAtLeastOne(acceptQueue, "acceptQueue");
        requireAtLeastOne(maxConnections, "maxConnections");
        if (maxHeaderBytes < 1_024) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, was " + maxHeaderBytes);
        }
        requirePositive(maxRequestTime, "maxRequestTime");
        requirePositive(idleTimeout, "idleTimeout");
        if (apiToken.isPresent() && apiToken.get().isBlank()) {
            throw new IllegalArgumentException("apiToken must not be blank");
        }
        if (apiToken.isPresent() && !apiToken.get().equals(apiToken.get().strip())) {
            throw new IllegalArgumentException("apiToken must not begin or end with whitespace: no request could send it");
        }
    }

    /**
     * The configuration of earlier versions (kept for their callers): the other bounds as in
     * {@link #defaults()}, no token.
     */
    public HttpConfig(String host, int port, int threads, int queueCapacity, int maxBodyBytes,
                      Duration maxRequestTime) {
        this(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_HEADER_BYTES, DEFAULT_ACCEPT_QUEUE, Optional.empty());
    }

    /**
     * The configuration of earlier versions (kept for their callers): {@code maxConnections} as in
     * {@link #defaults()}.
     */
    public HttpConfig(String host, int port, int threads, int queueCapacity, int maxBodyBytes,
                      Duration maxRequestTime, Duration idleTimeout, int maxHeaderBytes, int acceptQueue,
                      Optional<String> apiToken) {
        this(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout, maxHeaderBytes,
                acceptQueue, apiToken, defaultMaxConnections());
    }

    /**
     * Every default: the loopback interface only (safe: nothing outside this machine reaches it unless
     * told, for example {@code withHost("0.0.0.0")} in a container), the reference service's port 5005,
     * 16 workers and 256 waiting requests, 64 KiB bodies (far above any valid request), 10 s to send a
     * body, 10 s of silence before a connection is closed, 8 KiB of request line and headers, a listen
     * backlog of 1,024, no token, and connections up to half the process's open-files limit (the other
     * half for everything else the process opens; 10,000 where the limit cannot be read).
     */
    public static HttpConfig defaults() {
        return new HttpConfig("127.0.0.1", 5005, 16, 256, 64 * 1024, Duration.ofSeconds(10));
    }

    /** This configuration on another port (0: a free one). */
    public HttpConfig withPort(int port) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout,
                maxHeaderBytes, acceptQueue, apiToken, maxConnections);
    }

    /** This configuration bound to another interface. */
    public HttpConfig withHost(String host) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout,
                maxHeaderBytes, acceptQueue, apiToken, maxConnections);
    }

    /** This configuration with another number of worker threads. */
    public HttpConfig withThreads(int threads) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout,
                maxHeaderBytes, acceptQueue, apiToken, maxConnections);
    }

    /** This configuration with another number of requests that may wait for a worker. */
    public HttpConfig withQueueCapacity(int queueCapacity) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout,
                maxHeaderBytes, acceptQueue, apiToken, maxConnections);
    }

    /** This configuration with other time limits on clients: to send a body, and to stay silent. */
    public HttpConfig withTimeouts(Duration maxRequestTime, Duration idleTimeout) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout,
                maxHeaderBytes, acceptQueue, apiToken, maxConnections);
    }

    /** This configuration with another listen backlog. */
    public HttpConfig withAcceptQueue(int acceptQueue) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout,
                maxHeaderBytes, acceptQueue, apiToken, maxConnections);
    }

    /** This configuration with a bearer token every route but the health checks asks for (null: none). */
    public HttpConfig withApiToken(String apiToken) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout,
                maxHeaderBytes, acceptQueue, Optional.ofNullable(apiToken), maxConnections);
    }

    /** This configuration holding at most {@code maxConnections} connections open at once. */
    public HttpConfig withMaxConnections(int maxConnections) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime, idleTimeout,
                maxHeaderBytes, acceptQueue, apiToken, maxConnections);
    }

    /**
     * The files this process may still open under its open-files limit ({@code ulimit -n}) once
     * {@code reserved} more are set aside (for example a connection pool that grows): what listeners'
     * {@code maxConnections} may share. Empty where the limit cannot be read (not a Unix JVM).
     */
    public static OptionalLong openFilesLeft(long reserved) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return OptionalLong.of(unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount()
                    - reserved);
        }
        return OptionalLong.empty();
    }

    private static int defaultMaxConnections() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount() / 2));
        }
        return CONNECTIONS_UNKNOWN_LIMIT;
    }

    @Override
    public String toString() {   // never the token
        return "HttpConfig[host=" + host + ", port=" + port + ", threads=" + threads + ", queueCapacity="
                + queueCapacity + ", maxBodyBytes=" + maxBodyBytes + ", maxRequestTime=" + maxRequestTime
                + ", idleTimeout=" + idleTimeout + ", maxHeaderBytes=" + maxHeaderBytes + ", acceptQueue="
                + acceptQueue + ", apiToken=" + (apiToken.isPresent() ? "***" : "none") + ", maxConnections="
                + maxConnections + "]";
    }

    private static void requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
