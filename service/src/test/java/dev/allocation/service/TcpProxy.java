package dev.allocation.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on a loopback port of its own, forwarding every connection to a target (the tests' PostgreSQL),
 * with two threads per connection, one for each direction. It plays the network failures of a database:
 *
 * <ul>
 *   <li>{@link #restart()}: every open connection is reset and new ones are refused (the listening socket is
 *       closed), as while a database server restarts; {@link #accept()} listens again on the same port.</li>
 *   <li>{@link #blackHole()}: connections stay open and new ones are accepted, but no byte goes through in
 *       either direction, as with a database host that stops answering; {@link #accept()} delivers what was
 *       held back, in order, and forwards again.</li>
 * </ul>
 */
final class TcpProxy implements AutoCloseable {

    private enum Mode { FORWARD, BLACK_HOLE, REFUSE, CLOSED }

    private final InetSocketAddress target;
    private final int port;
    private final Object lock = new Object();
    private final List<Link> links = new ArrayList<>();
    private ServerSocket listener;
    private Mode mode = Mode.FORWARD;

    private TcpProxy(InetSocketAddress target) {
        this.target = target;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        startAccepting(listener);
    }

    /** A proxy forwarding to {@code host:port}, listening on a free loopback port. */
    static TcpProxy to(String host, int port) {
        return new TcpProxy(new InetSocketAddress(host, port));
    }

    /** The port the proxy listens on, at 127.0.0.1. */
    int port() {
        return port;
    }

    /** Resets every open connection and refuses new ones until {@link #accept()}. */
    void restart() {
        List<Link> reset;
        synchronized (lock) {
            mode = Mode.REFUSE;
            closeQuietly(listener);
            listener = null;
            reset = List.copyOf(links);
            links.clear();
            lock.notifyAll();
        }
        reset.forEach(Link::reset);
    }

    /** Keeps connections open, accepts new ones, but forwards no byte until {@link #accept()}. */
    void blackHole() {
        synchronized (lock) {
            mode = Mode.BLACK_HOLE;
        }
    }

    /** Forwards again: listens again after {@link #restart()}, delivers what a black hole held back. */
    void accept() {
        synchronized (lock) {
            if (mode == Mode.REFUSE) {
                listener = listen(port);
                startAccepting(listener);
            }
            mode = Mode.FORWARD;
            lock.notifyAll();
        }
    }

    /** Closes the listener and every connection. */
    @Override
    public void close() {
        List<Link> open;
        synchronized (lock) {
            mode = Mode.CLOSED;
            closeQuietly(listener);
            open = List.copyOf(links);
            links.clear();
            lock.notifyAll();
        }
        open.forEach(Link::reset);
    }

    @Override
    public String toString() {
        return "TCP proxy 127.0.0.1:" + port + " -> " + target.getHostString() + ":" + target.getPort();
    }

    private static ServerSocket listen(int port) {
        IOException failure = null;
        for (int attempt = 0; attempt < 50; attempt++) {   // the port may linger for a moment after a close
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                return socket;
            } catch (IOException e) {
                failure = e;
                LoadClients.pause(20);
            }
        }
        throw new UncheckedIOException("The proxy cannot listen on port " + port, failure);
    }

    private void startAccepting(ServerSocket socket) {
        Thread acceptor = new Thread(() -> acceptAll(socket), "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptAll(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return;   // closed: refusing, or the proxy is closed
            }
            Socket server = new Socket();
            try {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(target, 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            Link link = new Link(client, server);
            synchronized (lock) {
                if (mode == Mode.REFUSE || mode == Mode.CLOSED) {
                    link.reset();
                    continue;
                }
                links.add(link);
            }
            link.start();
        }
    }

    /** Waits while bytes are held back; false when the connection is to be dropped instead. */
    private boolean mayForward(Link link) throws InterruptedException {
        synchronized (lock) {
            while (mode == Mode.BLACK_HOLE && !link.closed) {
                lock.wait();
            }
            return mode == Mode.FORWARD && !link.closed;
        }
    }

    /** One proxied connection: the client's socket and the proxy's socket to the target. */
    private final class Link {

        private final Socket client;
        private final Socket server;
        private volatile boolean closed;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, "up");
            pump(server, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int read; (read = in.read(buffer)) >= 0; ) {
                        if (!mayForward(this)) {
                            break;
                        }
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // the other side closed or was reset: end the whole link
                }
                end();
            }, "tcp-proxy-" + port + "-" + direction);
            thread.setDaemon(true);
            thread.start();
        }

        /** Closes both sides normally, once either side ended. */
        private void end() {
            synchronized (lock) {
                links.remove(this);
            }
            closed = true;
            closeQuietly(client);
            closeQuietly(server);
        }

        /** Closes both sides with a reset (RST), as a server that went away. */
        void reset() {
            closed = true;
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (SocketException e) {
                    // already closed
                }
                closeQuietly(socket);
            }
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing to do
        }
    }
}
