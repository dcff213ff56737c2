package dev.allocation.adapters.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;

/**
 * Jetty's {@link NetworkConnectionLimit}, with its shorter idle timeout given to every connection held
 * at the limit. Jetty gives it to the connections open when the limit is reached, and misses those its
 * acceptor took in the same burst but had not opened yet. A burst of waiting connections, the case the
 * limit is for, then kept the usual idle timeout, and the listen backlog moved on one usual idle timeout
 * (twice over, as Jetty checks it) at a time instead of one short one: a probe waiting behind a few
 * rounds of idle connections waited a minute or more instead of seconds.
 */
final class ConnectionLimit extends NetworkConnectionLimit implements Connection.Listener {

    private final Object lock = new Object();
    private boolean limiting;

    ConnectionLimit(int maxConnections, long idleTimeoutAtLimitMs, Connector connector) {
        super(maxConnections, connector);
        setEndPointIdleTimeout(idleTimeoutAtLimitMs);
    }

    @Override
    protected void limit() {
        synchronized (lock) {
            limiting = true;
            super.limit();
        }
    }

    @Override
    protected void unlimit() {
        synchronized (lock) {
            limiting = false;
            super.unlimit();
        }
    }

    /**
     * A connection opened at the limit gets the limit's idle timeout. One opened before the limit was
     * reached is among the connections {@link #limit()} shortens: the connector counts a connection as
     * connected before it opens it.
     */
    @Override
    public void onOpened(Connection connection) {
        synchronized (lock) {
            if (limiting) {
                connection.getEndPoint().setIdleTimeout(getEndPointIdleTimeout());
            }
        }
    }
}
