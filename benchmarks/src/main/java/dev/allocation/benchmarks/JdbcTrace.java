package dev.allocation.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A window on what a storage adapter asks of JDBC: wraps a {@link DataSource} so that every call on
 * its connections and statements is counted (statements by their SQL), and so are the commits: the
 * explicit ones and every write run in autocommit, which commits by itself. Optionally also answers
 * {@link Connection#getTransactionIsolation()} from what it learnt the first time on each physical
 * connection, to measure what that round trip costs the adapter (a what-if, never the measurement of
 * record).
 */
final class JdbcTrace {

    /** Calls that go to the database server on PostgreSQL's driver (pgjdbc 42.7). */
    static final Set<String> PG_ROUND_TRIPS = Set.of("execute", "executeQuery", "executeUpdate", "executeBatch",
            "Connection.commit", "Connection.rollback", "Connection.getTransactionIsolation",
            "Connection.setTransactionIsolation");

    private final boolean count;
    private final boolean cacheIsolation;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder autocommitWrites = new LongAdder();
    private final Map<Connection, Integer> isolation = Collections.synchronizedMap(new WeakHashMap<>());

    private JdbcTrace(boolean count, boolean cacheIsolation) {
        this.count = count;
        this.cacheIsolation = cacheIsolation;
    }

    /** Counts every call. */
    static JdbcTrace counting() {
        return new JdbcTrace(true, false);
    }

    /** Counts nothing; answers the isolation level of a physical connection from memory after the first time. */
    static JdbcTrace isolationCached() {
        return new JdbcTrace(false, true);
    }

    DataSource wrap(DataSource dataSource) {
        return proxy(DataSource.class, dataSource, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection connection ? connection(connection) : result;
        });
    }

    /** One connection, traced as those of a wrapped {@link DataSource} are. */
    Connection wrap(Connection connection) throws SQLException {
        return connection(connection);
    }

    /**
     * Transactions committed since the last {@link #reset()}: {@link Connection#commit()} calls and
     * writes ({@code executeUpdate}, {@code executeBatch}, {@code execute}) run in autocommit.
     */
    long commits() {
        LongAdder explicit = calls.get("Connection.commit");
        return (explicit == null ? 0 : explicit.sum()) + autocommitWrites.sum();
    }

    /** Calls counted since the last {@link #reset()}, by kind, sorted. */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }

    void reset() {
        calls.clear();
        autocommitWrites.reset();
    }

    private Connection connection(Connection connection) throws SQLException {
        boolean[] autoCommit = {count && connection.getAutoCommit()};
        return proxy(Connection.class, connection, (target, method, args) -> {
            String name = method.getName();
            if (count) {
                tally("Connection." + name);
                if (name.equals("setAutoCommit")) {
                    autoCommit[0] = (Boolean) args[0];
                }
            }
            if (cacheIsolation && name.equals("getTransactionIsolation")) {
                Connection physical = target.unwrap(Connection.class);
                Integer known = isolation.get(physical);
                if (known != null) {
                    return known;
                }
                int level = target.getTransactionIsolation();
                isolation.put(physical, level);
                return level;
            }
            if (cacheIsolation && name.equals("setTransactionIsolation")) {
                isolation.remove(target.unwrap(Connection.class));
            }
            Object result = invoke(target, method, args);
            if (count && result instanceof PreparedStatement statement && args != null && args[0] instanceof String sql) {
                return statement(PreparedStatement.class, statement, sql, autoCommit);
            }
            if (count && result instanceof Statement statement && !(result instanceof PreparedStatement)) {
                return statement(Statement.class, statement, null, autoCommit);
            }
            return result;
        });
    }

    private <S extends Statement> S statement(Class<S> type, S statement, String preparedSql, boolean[] autoCommit) {
        return proxy(type, statement, (target, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute")) {
                String sql = preparedSql != null ? preparedSql : args != null && args.length > 0 ? (String) args[0] : "?";
                tally(name + ": " + summary(sql));
                if (autoCommit[0] && !name.equals("executeQuery")) {
                    autocommitWrites.increment();
                }
            }
            return invoke(target, method, args);
        });
    }

    private void tally(String key) {
        calls.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    static String summary(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= 72 ? flat : flat.substring(0, 69) + "...";
    }

    @FunctionalInterface
    private interface Handler<T> {
        Object handle(T target, Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler invocation = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "traced " + target;
                };
            }
            return handler.handle(target, method, args);
        };
        return (T) Proxy.newProxyInstance(JdbcTrace.class.getClassLoader(), new Class<?>[] {type}, invocation);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
