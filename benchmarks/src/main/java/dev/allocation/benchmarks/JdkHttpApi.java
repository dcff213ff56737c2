package dev.allocation.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.allocation.adapters.http.HttpConfig;
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
 * The previous HTTP edge, kept as the twin the HTTP benchmark measures the current one against, in the
 * same run: adapters-http's {@code HttpApi} as it was on the JDK's {@code com.sun.net.httpserver} (commit
 * 0c8d5ca), with {@link JdkApiHandler}, {@link JdkRequestBodies} and {@link JdkClientError}, copied
 * unchanged but for their names and for the JVM-wide settings it used to set itself: the benchmark JVM
 * is started with {@code -Dsun.net.httpserver.nodelay=true} and {@code -Dsun.net.httpserver.maxReqTime=10}
 * (benchmarks/pom.xml), the values it set. Never used outside the benchmarks.
 */
final class JdkHttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdkHttpApi.class);

    private final HttpServer server;
    private final JdkApiHandler handler;
    private final ThreadPoolExecutor workers;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private JdkHttpApi(HttpServer server, JdkApiHandler handler, ThreadPoolExecutor workers) {
        this.server = server;
        this.handler = handler;
        this.workers = workers;
    }

    /**
     * Binds and starts the API.
     *
     * @throws IOException when the address cannot be bound (for example the port is taken)
     */
    static JdkHttpApi start(AllocationUseCases useCases, HttpConfig config) throws IOException {
        Objects.requireNonNull(useCases, "useCases must not be null");
        Objects.requireNonNull(config, "config must not be null");
        HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), task -> {
                    Thread thread = new Thread(task, "allocation-http-" + count.incrementAndGet());
                    thread.setDaemon(false);   // whatever thread creates it: a request in flight keeps the JVM up
                    return thread;
                });
        JdkApiHandler handler = new JdkApiHandler(useCases, config.maxBodyBytes());
        server.createContext("/", handler);
        server.setExecutor(workers);
        server.start();
        return new JdkHttpApi(server, handler, workers);
    }

    /** The port it listens on (the one chosen when configured with 0). */
    int port() {
        return server.getAddress().getPort();
    }

    /**
     * Stops accepting connections and requests, lets the requests in flight finish for up to
     * {@code grace} (rounded up to whole seconds, as the JDK server counts), then closes every
     * connection and the worker threads. A request that arrives on an open keep-alive connection
     * meanwhile is refused with a 503 before it touches anything, and every response closes its
     * connection. Idempotent.
     */
    void stop(Duration grace) {
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
}
