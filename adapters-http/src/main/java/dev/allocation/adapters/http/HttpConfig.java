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

    /** The reference service's port. */
    public static final int DEFAULT_PORT = 5005;

    /** The default body limit: 64 KiB, far above any valid request of this API. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public HttpConfig {
        Objects.requireNonNull(host, "host must not be null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
        }
        Objects.requireNonNull(maxRequestTime, "maxRequestTime must not be null");
        if (maxRequestTime.toSeconds() < 1) {
            throw new IllegalArgumentException("maxRequestTime must be at least 1 second, was " + maxRequestTime);
        }
    }

    /**
     * Every default: all interfaces, port {@value #DEFAULT_PORT}, 16 workers and 256 waiting requests,
     * 64 KiB bodies, 10 s to send a request.
     */
    public static HttpConfig defaults() {
        return new HttpConfig("0.0.0.0", DEFAULT_PORT, 16, 256, DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(10));
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

    /** This configuration with another body limit. */
    public HttpConfig withMaxBodyBytes(int maxBodyBytes) {
        return new HttpConfig(host, port, threads, queueCapacity, maxBodyBytes, maxRequestTime);
    }
}
