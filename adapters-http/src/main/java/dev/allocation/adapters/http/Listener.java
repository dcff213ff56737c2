package dev.allocation.adapters.http;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * One listener, the API's or the admin API's, built the same way: a {@link JettyServer} with the limits of
 * its {@link HttpConfig}, an {@link Edge} in front of its {@link Routes}, and a bounded pool of workers
 * whose bounded queue, when full, makes a request a 503. Its orderly stop is the same too.
 */
final class Listener {

    /** Jetty's own threads: the acceptor, the selector, and those that parse and write. */
    private static final int IO_THREADS = 8;

    private final String label;
    private final JettyServer server;
    private final Edge edge;
    private final ThreadPoolExecutor workers;
    private final Logger log;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Listener(String label, JettyServer server, Edge edge, ThreadPoolExecutor workers, Logger log) {
        this.label = label;
        this.server = server;
        this.edge = edge;
        this.workers = workers;
        this.log = log;
    }

    /**
     * Binds and starts a listener serving {@code routes} with the bounds of {@code config}; its threads are
     * named {@code <name>-<n>}, its access lines and failures logged on {@code access}, the lines about
     * its stop on {@code log}, where {@code label} names it.
     *
     * @throws IOException when the address cannot be bound
     */
    static Listener start(String name, String label, HttpConfig config, Routes routes, Logger access,
                          Logger log) throws IOException {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), task -> {
                    Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
                    thread.setDaemon(false);   // whatever thread creates it: a request in flight keeps the JVM up
                    return thread;
                });
        Edge edge = new Edge(routes, config, workers, access);
        try {
            return new Listener(label, JettyServer.start(name + "-io", config, IO_THREADS, edge), edge, workers, log);
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    /**
     * Stops accepting connections and requests, lets the requests in flight finish for up to
     * {@code grace}, then closes every connection and the workers. Idempotent.
     */
    void stop(Duration grace) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        int port = port();
        edge.stopAccepting();
        server.stopListening();
        log.info("Stopping {} on port {}: {} request(s) in flight, waiting up to {} ms", label, port,
                edge.inFlight(), grace.toMillis());
        long deadline = System.nanoTime() + grace.toNanos();
        while (edge.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (edge.inFlight() > 0) {
            log.warn("Stopping {} on port {}: {} request(s) still in flight after {} ms, cut", label, port,
                    edge.inFlight(), grace.toMillis());
        }
        server.stop();
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
}
