package dev.allocation.service;

import dev.allocation.adapters.http.HttpApi;
import dev.allocation.adapters.http.HttpConfig;
import dev.allocation.application.AllocationUseCases;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service composed and running: the allocation service on its storage, its HTTP API, and (when
 * configured) its Redis integration. {@link #close()} stops them in order: HTTP first (no new
 * requests, in-flight ones finish), then the service and its database.
 */
final class RunningService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningService.class);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final AllocationService service;
    private final HttpApi http;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunningService(AllocationService service, HttpApi http, String description) {
        this.service = service;
        this.http = http;
        this.description = description;
    }

    /**
     * Composes and starts everything {@code config} asks for on {@code builder} (whose other choices,
     * such as notifications, are kept).
     *
     * @throws UncheckedIOException when the HTTP port cannot be bound
     */
    static RunningService start(ServiceConfig config, Bootstrap.Builder builder) {
        String storage = Storage.choose(builder, config);
        String broker = "none (events to the log)";
        AllocationService service = builder.build();
        try {
            HttpApi http = HttpApi.start(service, HttpConfig.defaults().withHost(config.host()).withPort(config.port()));
            String description = "Allocation service listening on http://" + config.host() + ":" + http.port()
                    + ", storage: " + storage + ", broker: " + broker;
            return new RunningService(service, http, description);
        } catch (IOException e) {
            service.close();
            throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** The HTTP port it listens on. */
    int port() {
        return http.port();
    }

    /** The service the adapters drive, for tests that send it commands directly. */
    AllocationUseCases useCases() {
        return service;
    }

    /** Where it listens, which storage and which broker: the start-up line. */
    String description() {
        return description;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.stop(SHUTDOWN_GRACE);
        service.close();
        log.info("Allocation service stopped");
    }
}
