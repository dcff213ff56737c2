package dev.allocation.adapters.http;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * One listener, the API's or the admin API's, built the same way: a {@link JettyServer} with the limits of
 * its {@link HttpConfig}, and an {@link Edge} in front of its {@link Routes}, which handles at most
 * {@link HttpConfig#threads()} requests at once on Jetty's threads and lets a bounded number wait (a 503
 * beyond). Its orderly stop is the same too.
 */
final class Listener {

    /**
     * Jetty's threads beyond those handling requests: the acceptor, the selector, and those that parse,
     * write and take over the selecting while a request runs on the thread that read it.
     */
    private static final int IO_THREADS = 8;

    private final String label;
    private final JettyServer server;
    private final Edge edge;
    private final Logger log;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Listener(String label, JettyServer server, Edge edge, Logger log) {
        this.label = label;
        this.server = server;
        this.edge = edge;
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
        Edge edge = new Edge(routes, config, access);
        return new Listener(label, JettyServer.start(name, config, IO_THREADS + config.threads(), edge), edge, log);
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
    }
}
