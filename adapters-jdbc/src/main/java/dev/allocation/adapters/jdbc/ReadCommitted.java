package dev.allocation.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Puts connections at READ COMMITTED before a transaction starts on them: each statement then sees
 * what was committed before it began, and the version check (or the row lock) does the rest. Never
 * READ UNCOMMITTED, which H2 really has: a unit, or the read model, must never read what another
 * transaction may still roll back.
 *
 * <p>On H2 the level is checked before every transaction, in process. On PostgreSQL asking costs a
 * round trip (pgjdbc runs {@code SHOW TRANSACTION ISOLATION LEVEL}), so the level is set once per
 * physical connection, the first time this storage sees it. Should a pool later put a connection back
 * to a stricter default of its own (REPEATABLE READ, SERIALIZABLE), units stay correct: PostgreSQL
 * then reports a lost race as a serialization failure, which this adapter turns into a
 * {@link dev.allocation.application.port.ConcurrencyConflict} that the bus retries.
 */
final class ReadCommitted {

    private final Dialect dialect;
    private final Map<Connection, Boolean> alreadySet = Collections.synchronizedMap(new WeakHashMap<>());

    ReadCommitted(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Sets READ COMMITTED on {@code connection} unless it is known to be there; no transaction may be open. */
    void apply(Connection connection) {
        try {
            if (dialect == Dialect.H2) {
                if (connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
                    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
                return;
            }
            Connection physical = physical(connection);
            if (alreadySet.get(physical) == null) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                alreadySet.put(physical, Boolean.TRUE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot set the isolation level to READ COMMITTED", e);
        }
    }

    /** The driver's connection behind a pool's proxy, which lives as long as the session does. */
    private static Connection physical(Connection connection) throws SQLException {
        return connection.isWrapperFor(Connection.class) ? connection.unwrap(Connection.class) : connection;
    }
}
