package dev.allocation.adapters.http;

import com.sun.net.httpserver.HttpServer;
import dev.allocation.application.AllocationUseCases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference allocation service's HTTP API, running: start it on an {@link AllocationUseCases},
 * stop it gracefully.
 *
 * <pre>{@code
 * HttpApi api = HttpApi.start(service, HttpConfig.defaults().withPort(0));
 * int port = api.port();
 * ...
 * api.stop(Duration.ofSeconds(10));   // stops accepting, lets in-flight requests finish
 * }</pre>
 *
 * <p>Routes: {@code POST /add_batch} {@code {"ref","sku","qty","eta"}} → 201; {@code POST /allocate}
 * {@code {"orderid","sku","qty"}} → 202; {@code GET /allocations/{orderid}} → 200
 * {@code [{"sku","batchref"}]} or 404; {@code GET /health} → 200 or 503. A refused request is a 400
 * {@code {"message"}} naming the problem.
 *
 * <p>Server: the JDK's {@code com.sun.net.httpserver} on a bounded pool of worker threads. Its
 * request time limit is a JVM-wide system property ({@code sun.net.httpserver.maxReqTime}, in seconds)
 * that the JDK reads once, when the first server of the JVM starts: {@link #start} sets it from
 * {@link HttpConfig#maxRequestTime()} unless it is set already ({@code -D} wins). The response time
 * limit ({@code sun.net.httpserver.maxRspTime}) is left unset: the JDK counts the handling of the
 * request in it, and every response of this API is small enough to leave in the socket's buffer, so a
 * client that does not read cannot hold a worker.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

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
        applyTimeouts(config);
        HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.threads(), config.threads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.queueCapacity()), workerThreads());
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

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
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
        // With nothing in flight, nothing can start any more: close at once (the JDK 17 server would
        // otherwise wait the whole delay). Else it returns as soon as the last exchange is done.
        int seconds = inFlight == 0 ? 0 : (int) Math.max(1, (grace.toMillis() + 999) / 1000);
        log.info("Stopping the HTTP API on port {}: {} request(s) in flight, waiting up to {}s", port(),
                inFlight, seconds);
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
        stop(DEFAULT_GRACE);
    }

    @Override
    public String toString() {
        return "HttpApi[" + server.getAddress() + "]";
    }

    private static void applyTimeouts(HttpConfig config) {
        String property = "sun.net.httpserver.maxReqTime";
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(config.maxRequestTime().toSeconds()));
        }
        // Small JSON responses must not wait for Nagle's algorithm and the client's delayed ACK
        // (about 40 ms per response, measured by the benchmarks); also read once per JVM.
        String noDelay = "sun.net.httpserver.nodelay";
        if (System.getProperty(noDelay) == null) {
            System.setProperty(noDelay, "true");
        }
    }

    private static ThreadFactory workerThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "allocation-http-" + count.incrementAndGet());
            thread.setDaemon(false);
            return thread;
        };
    }
}
