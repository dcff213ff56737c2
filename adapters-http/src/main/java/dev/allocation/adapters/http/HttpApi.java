package dev.allocation.adapters.http;

import dev.allocation.application.AllocationUseCases;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference allocation service's HTTP API ({@link ApiHandler}), on an embedded Jetty 12 server:
 * non-blocking reads, the limits of {@link HttpConfig} on every connection, and a bounded pool of
 * workers whose bounded queue, when full, makes a request a 503 with {@code Retry-After}. It sets
 * nothing JVM-wide: several can run in one JVM, each with its own configuration.
 *
 * <pre>{@code
 * HttpApi api = HttpApi.start(service, HttpConfig.defaults().withPort(0));
 * int port = api.port();
 * ...
 * api.stop(Duration.ofSeconds(10));   // stops accepting, lets in-flight requests finish
 * }</pre>
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    private final Listener listener;

    private HttpApi(Listener listener) {
        this.listener = listener;
    }

    /**
     * Binds and starts the API. Its readiness check ({@code GET /health/ready}) answers 200 for as long as
     * it listens: to make it follow the storage, give {@link #start(AllocationUseCases, HttpConfig,
     * Supplier, Supplier) a health}.
     *
     * @throws IOException when the address cannot be bound (for example the port is taken)
     */
    public static HttpApi start(AllocationUseCases useCases, HttpConfig config) throws IOException {
        return start(useCases, config, null, () -> Health.of(true));
    }

    /**
     * Binds and starts the API, serving also {@code GET /metrics}: the text {@code metrics} gives, in
     * Prometheus's exposition format (for example a {@code PrometheusMeterRegistry}'s {@code scrape}).
     * It asks for the token like every route but the health checks. Its health checks
     * ({@code GET /health}, {@code /health/ready}) answer what {@code health} says: 200 when it is
     * {@link Health#ready() ready}, else 503, with its {@link Health#checks() checks} as details.
     * {@code health} is asked once per check, on a worker thread; it should answer within a second or so.
     * The use cases say nothing of health: the composition that built them knows what they depend on.
     *
     * @param metrics the scrape, or null for no {@code /metrics} route
     * @param health  whether the service can serve, and the state of what it depends on
     * @throws IOException when the address cannot be bound (for example the port is taken)
     */
    public static HttpApi start(AllocationUseCases useCases, HttpConfig config, Supplier<String> metrics,
                                Supplier<Health> health) throws IOException {
        Objects.requireNonNull(useCases, "useCases must not be null");
        Objects.requireNonNull(health, "health must not be null");
        Objects.requireNonNull(config, "config must not be null");
        return new HttpApi(Listener.start("allocation-http", "the HTTP API", config,
                new ApiHandler(useCases, metrics, health), ApiHandler.log, log));
    }

    /** The port it listens on (the one chosen when configured with 0). */
    public int port() {
        return listener.port();
    }

    /**
     * Stops accepting connections and requests, lets the requests in flight finish for up to
     * {@code grace}, then closes every connection (idle keep-alive ones too) and the worker threads. A
     * request that arrives on an open keep-alive connection meanwhile is refused with a 503 before it
     * touches anything, and every response closes its connection. Returns as soon as nothing is in
     * flight. Idempotent.
     */
    public void stop(Duration grace) {
        listener.stop(Objects.requireNonNull(grace, "grace must not be null"));
    }

    /** {@link #stop(Duration)} with a grace of 10 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
