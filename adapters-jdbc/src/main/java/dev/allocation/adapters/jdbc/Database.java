package dev.allocation.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The database the units of work, the outbox and the read model share: its connections, its dialect, and
 * the lock that keeps writers apart where the database cannot ({@link SerialWrites}).
 */
final class Database {

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final SerialWrites writes;

    /**
     * Each connection is taken in auto-commit, whatever the pool hands out: JDBI takes a connection that
     * is not in it for one in a transaction already, so that {@code inTransaction} would neither begin
     * nor commit, and the pool would roll the work back as it takes the connection back.
     */
    Database(DataSource dataSource, Dialect dialect, String url) {
        this.jdbi = Jdbi.create(() -> {
            Connection connection = dataSource.getConnection();
            try {
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                return connection;
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        });
        this.dialect = dialect;
        this.writes = SerialWrites.of(dialect, url);
    }

    Dialect dialect() {
        return dialect;
    }

    SerialWrites writes() {
        return writes;
    }

    /** A new handle; the caller puts it {@link #readCommitted at READ COMMITTED}, and closes it. */
    Handle open() {
        return jdbi.open();
    }

    /** Runs {@code query} on a connection of its own, at READ COMMITTED, failures untranslated. */
    <T> T withHandle(Function<Handle, T> query) {
        return jdbi.withHandle(handle -> {
            readCommitted(handle);
            return query.apply(handle);
        });
    }

    /** Runs {@code query} on a connection of its own, at READ COMMITTED; failures translated by the dialect. */
    <T> T read(Function<Handle, T> query) {
        try {
            return withHandle(query);
        } catch (RuntimeException e) {
            throw dialect.translate(e);
        }
    }

    /** Puts the connection of {@code handle}, with no transaction open, at READ COMMITTED. */
    void readCommitted(Handle handle) {
        try {
            dialect.readCommitted(handle.getConnection());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot set the isolation level to READ COMMITTED", e);
        }
    }
}
