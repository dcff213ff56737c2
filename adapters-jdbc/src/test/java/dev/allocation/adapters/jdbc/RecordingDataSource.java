package dev.allocation.adapters.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A DataSource that records what goes through it: every statement executed (with its SQL), commits,
 * rollbacks, connections open. It can also break: fail the next commit as a dead connection would, or
 * refuse connections. A fake with state, built on {@link Proxy}; no mocking library.
 */
final class RecordingDataSource implements DataSource {

    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final DataSource target;
    private final List<String> executed = new CopyOnWriteArrayList<>();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger commitsSent = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicBoolean failNextCommit = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile Connection lastTaken;

    RecordingDataSource(DataSource target) {
        this.target = target;
    }

    /** Forgets what was recorded so far. */
    void reset() {
        executed.clear();
        commits.set(0);
        commitsSent.set(0);
        rollbacks.set(0);
        opened.set(0);
    }

    /** The SQL of every statement executed since the last reset, whitespace collapsed, in order. */
    List<String> executed() {
        return new ArrayList<>(executed);
    }

    int commits() {
        return commits.get();
    }

    /**
     * Commits asked of a connection with a transaction open: those the driver sends. On PostgreSQL a unit
     * whose {@code COMMIT} went with its writes asks for a commit once no transaction is open, and the
     * driver sends nothing; H2's commits all count.
     */
    int commitsSent() {
        return commitsSent.get();
    }

    int rollbacks() {
        return rollbacks.get();
    }

    /** Connections taken and not closed yet. */
    int openConnections() {
        return open.get();
    }

    /** Connections taken since the last reset. */
    int connectionsTaken() {
        return opened.get();
    }

    /** The real connection most recently taken, to act on it behind the adapter's back. */
    Connection lastTaken() {
        return lastTaken;
    }

    /**
     * The next commit closes its connection and fails, as when the database goes away at that moment:
     * the connection's own commit, or the {@code COMMIT} sent with a unit's writes (PostgreSQL), before
     * anything of that statement reaches the database.
     */
    void failNextCommit() {
        failNextCommit.set(true);
    }

    /** While down, no connection can be had. */
    void down(boolean down) {
        this.down.set(down);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down.get()) {
            throw new SQLTransientConnectionException("the database is down (test)", "08001");
        }
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        lastTaken = connection;
        open.incrementAndGet();
        opened.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "close" -> {
                    if (closed.compareAndSet(false, true)) {
                        open.decrementAndGet();
                    }
                }
                case "commit" -> {
                    if (failNextCommit.compareAndSet(true, false)) {
                        throw lostAtCommit(connection);
                    }
                    commits.incrementAndGet();
                    if (!connection.isWrapperFor(BaseConnection.class)
                            || connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                        commitsSent.incrementAndGet();
                    }
                }
                case "rollback" -> rollbacks.incrementAndGet();
                default -> { }
            }
            Object result = invoke(connection, method, args);
            if (result instanceof PreparedStatement statement) {
                return statement(connection, statement, PreparedStatement.class, (String) args[0]);
            }
            if (result instanceof Statement statement) {
                return statement(connection, statement, Statement.class, null);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private <S extends Statement> S statement(Connection connection, S statement, Class<S> type, String preparedSql) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (EXECUTIONS.contains(method.getName())) {
                String sql = preparedSql != null ? preparedSql : args != null && args.length > 0 ? (String) args[0] : "?";
                String collapsed = sql.replaceAll("\\s+", " ").trim();
                if (collapsed.endsWith("; COMMIT") && failNextCommit.compareAndSet(true, false)) {
                    throw lostAtCommit(connection);
                }
                executed.add(collapsed);
            }
            return invoke(statement, method, args);
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
    }

    /** Closes {@code connection} before anything of the commit reaches the database; the failure to throw. */
    private static SQLException lostAtCommit(Connection connection) throws SQLException {
        connection.close();
        return new SQLException("connection lost at commit (test)", "08006");
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}
