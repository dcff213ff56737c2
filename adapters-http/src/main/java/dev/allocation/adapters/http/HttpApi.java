package dev.allocation.adapters.http;

import com.sun.net.httpserver.HttpServer;
import dev.allocation.application.AllocationUseCases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference allocation service's HTTP API ({@link ApiHandler}), running on the JDK's
 * {@code com.sun.net.httpserver} with a bounded pool of worker threads.
 *
 * <pre>{@code
 * HttpApi api = HttpApi.start(service, HttpConfig.defaults().withPort(0));
 * int port = api.port();
 * ...
 * api.stop(Duration.ofSeconds(10));   // stops accepting, lets in-flight requests finish
 * }</pre>
 *
 * <p>The JDK reads its server settings from JVM-wide system properties, once, when the first server of
 * the JVM starts; {@link #start} sets those it needs unless they are set already ({@code -D} wins): the
 * request time limit ({@code sun.net.httpserver.maxReqTime}) from {@link HttpConfig#maxRequestTime()},
 * and {@code sun.net.httpserver.nodelay}, so that small responses do not wait for Nagle's algorithm and
 * the client's delayed ACK. The response time limit is left unset: the JDK counts the handling of the
 * request in it, and every response of this API is small enough to leave in the socket's buffer, so a
 * client that does not read cannot hold a worker.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    private final HttpServer server;
    private final ApiHandler handler;
    private final ThreadPoolExecutor workers;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private HttpApi(HttpServer server, ApiHandler handler, ThreadPoolExecutor workers) {
        this.server = server;
        this.handler = handler;
        this.workers = workers;
    }

    /**
     * Binds and starts the API.
     *
     * @throws IOException when the address cannot be bound (for example the port is taken)
     */
    public static HttpApi start(AllocationUseCases useCases, HttpConfig config) throws IOException {
        Objects.requireNonNull(useCases, "useCases must not be null");
        Objects.requireNonNull(config, "config must not be null");
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(config.maxRequestTime().toSeconds()));
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), task -> {
                    Thread thread = new Thread(task, "allocation-http-" + count.incrementAndGet());
                    thread.setDaemon(false);   // whatever thread creates it: a request in flight keeps the JVM up
                    return thread;
                });
        ApiHandler handler = new ApiHandler(useCases, config.maxBodyBytes());
        server.createContext("/", handler);
        server.setExecutor(workers);
        server.start();
        return new HttpApi(server, handler, workers);
    }

    /** The port it listens on (the one chosen when configured with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Stops accepting connections and requests, lets the requests in flight finish for up to
     * {@code grace} (rounded up to whole seconds, as the JDK server counts), then closes every
     * connection and the worker threads. A request that arrives on an open keep-alive connection
     * meanwhile is refused with a 503 before it touches anything, and every response closes its
     * connection. Idempotent.
     */
    public void stop(Duration grace) {
        Objects.requireNonNull(grace, "grace must not be null");
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        handler.stopAccepting();
        int inFlight = handler.inFlight();
        // With nothing in flight nothing can start any more, so close at once: the JDK 17 server would
        // otherwise wait the whole delay. Else it returns as soon as the last exchange is done.
        int seconds = inFlight == 0 ? 0 : (int) Math.max(1, (grace.toMillis() + 999) / 1000);
        log.info("Stopping the HTTP API on port {}: {} request(s) in flight, waiting up to {}s", port(), inFlight,
                seconds);
        server.stop(seconds);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop(Duration)} with a grace of 10 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
