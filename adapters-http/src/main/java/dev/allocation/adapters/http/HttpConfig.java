package dev.allocation.adapters.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP API listens and what it tolerates from clients.
 *
 * @param host           the interface to bind ({@code "0.0.0.0"} for all)
 * @param port           the port; 0 picks a free one (read it back with {@link HttpApi#port()})
 * @param threads        worker threads: at most this many requests are handled at once
 * @param queueCapacity  requests that may wait for a worker; beyond it a connection is closed at once
 * @param maxBodyBytes   the largest request body accepted; a larger one gets 413
 * @param maxRequestTime how long a client may take to send one request (headers and body) before the
 *                       server closes its connection, so a stalled client cannot hold a worker; the
 *                       time the service takes to handle it is not counted
 */
public record HttpConfig(String host, int port, int threads, int queueCapacity, int maxBodyBytes,
                         Duration maxRequestTime) {

    public HttpConfig {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(maxRequestTime, "maxRequestTime must not be null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        requireAtLeastOne(threads, "threads");
        requireAtLeastOne(queueCapacity, "queueCapacity");
        requireAtLeastOne(maxBodyBytes, "maxBodyBytes");
        if (maxRequestTime.toSeconds() < 1) {
            throw new IllegalArgumentException("maxRequestTime must be at least 1 second, was " + maxRequestTime);
        }
    }

    /**
     * Every default: all interfaces, the reference service's port 5005, 16 workers and 256 waiting
     * requests, 64 KiB bodies (far above any valid request), 10 s to send a request.
     */
    public static HttpConfig defaults() {
        return new HttpConfig("0.0.0.0", 5005, 16, 256, 64 * 1024, Duration.ofSeconds(10));
    }

    /** This configuration on another port (0: a free one). */
    public HttpConfig withPort(int port) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime);
    }

    /** This configuration bound to another interface. */
    public HttpConfig withHost(String host) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime);
    }

    /** This configuration with another number of worker threads. */
    public HttpConfig withThreads(int threads) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime);
    }

    private static void requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
