package dev.allocation.adapters.http;

import java.io.IOException;
import java.net.BindException;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one place a Jetty server is set up, for the public API and the admin API alike: one plain HTTP/1.1
 * connector on the interface and port asked for, with every limit of {@link HttpConfig} applied (its
 * connections too), and
 * {@link JsonErrorHandler} instead of Jetty's HTML error pages. Jetty's threads (one acceptor, one
 * selector, the rest for I/O and the requests themselves) come from a pool of a bounded number of threads,
 * a few of them kept ready to take over the selecting from a thread that goes on to run a request it has
 * just read; nothing here is JVM-wide.
 */
final class JettyServer {

    /**
     * An id may hold any character: "/", "\\", "%", ";" and "." too. Sent percent-encoded ({@code %2F},
     * {@code %5C}, {@code %25}, {@code %3B}, {@code %2E}), each is part of one path segment to these APIs,
     * not an ambiguity: they route on the path as sent (still encoded), serve no files, and decode an id
     * themselves. What stays refused: bad percent-encoding, bad or UTF-16 ({@code %u}) encodings, encoded
     * control characters, empty segments.
     */
    private static final UriCompliance ONE_SEGMENT_IDS = UriCompliance.DEFAULT.with("allocation",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
            UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS);
    /** How long an idle connection may stay while the listener is at its connection limit. */
    private static final long IDLE_TIMEOUT_AT_LIMIT_MS = 1_000;

    private final Server server;
    private final ServerConnector connector;
    private final int port;

    private JettyServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
        this.port = connector.getLocalPort();
    }

    /**
     * Binds and starts a server running {@code handler} with the limits of {@code config}; its threads are
     * named {@code <name>-<n>}. {@code poolThreads} bounds Jetty's pool (at least 4: the acceptor and
     * the selector take one each).
     *
     * @throws IOException when the address cannot be bound
     */
    static JettyServer start(String name, HttpConfig config, int poolThreads, Handler handler) throws IOException {
        int maxThreads = Math.max(4, poolThreads);
        // its queue holds the connections' tasks (at most a few per connection): the requests' own bound is
        // the handler's (Admission). Reserved threads (-1: as many as Jetty's heuristic says) let the selector
        // run a request it found on its own thread while a reserved one takes over the selecting
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, 2, 60_000, -1, new BlockingArrayQueue<>(), null);
        pool.setName(name);
        pool.setDaemon(false);   // a request in flight keeps the JVM up until stop()
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(config.maxHeaderBytes());
        http.setIdleTimeout(config.idleTimeout().toMillis());
        http.setHttpCompliance(HttpCompliance.RFC9110);
        http.setUriCompliance(ONE_SEGMENT_IDS);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        connector.setAcceptQueueSize(config.acceptQueue());
        connector.setAcceptedTcpNoDelay(true);
        connector.setReuseAddress(true);
        server.addConnector(connector);
        // at the limit: no more accepted (they wait in the listen backlog, no file opened), idle ones closed
        // sooner; below the open-files limit, accepting never fails with "Too many open files"
        server.addBean(new ConnectionLimit(config.maxConnections(),
                Math.min(IDLE_TIMEOUT_AT_LIMIT_MS, config.idleTimeout().toMillis()), connector));
        server.setErrorHandler(new JsonErrorHandler(config));
        server.setHandler(handler);
        server.setStopTimeout(0);   // the callers wait for their requests themselves, then stop at once
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            Throwable cause = e.getCause() instanceof IOException ? e.getCause() : e;
            throw cause instanceof BindException bind ? bind : new IOException(e.getMessage(), cause);
        }
        return new JettyServer(server, connector);
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    /** Closes the listening socket: a new connection is refused; open connections go on. */
    void stopListening() {
        connector.close();
    }

    /**
     * Closes every connection at once and stops the server's threads: the callers have waited for their
     * requests in flight already.
     */
    void stop() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(JettyServer.class).warn("Stopping the HTTP server failed: {}",
                    e.toString());
        }
    }
}
