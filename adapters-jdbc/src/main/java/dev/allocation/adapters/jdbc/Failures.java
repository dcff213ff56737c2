package dev.allocation.adapters.jdbc;

import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.StorageUnavailable;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Tells a lost race (which the message bus retries) and an outage (which callers may retry later) from
 * every other failure of the database.
 */
final class Failures {

    private Failures() {
    }

    /**
     * A {@link ConcurrencyConflict} when {@code failure} means another transaction got in the way, a
     * {@link StorageUnavailable} when the database cannot be reached or is not answering; else itself.
     */
    static RuntimeException translate(RuntimeException failure, Dialect dialect) {
        if (failure instanceof ConcurrencyConflict || failure instanceof StorageUnavailable) {
            return failure;
        }
        Optional<SQLException> cause = sqlCause(failure);
        if (cause.isEmpty()) {
            return failure;
        }
        SQLException sql = cause.get();
        if (dialect.isLostRace(sql.getSQLState(), sql.getErrorCode())) {
            return new ConcurrencyConflict("Lost a race with another transaction: " + sql.getMessage(), failure);
        }
        if (isOutage(sql, dialect)) {
            return new StorageUnavailable("The " + dialect + " database cannot be reached: " + sql.getMessage(), failure);
        }
        return failure;
    }

    /** True when a unique constraint refused a row. */
    static boolean isUniqueViolation(RuntimeException failure, Dialect dialect) {
        return sqlCause(failure).map(e -> dialect.isUniqueViolation(e.getSQLState())).orElse(false);
    }

    static Optional<SQLException> sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                SQLException next = sql.getNextException();
                return Optional.of(next != null && sql.getSQLState() == null ? next : sql);
            }
        }
        return Optional.empty();
    }

    private static boolean isOutage(SQLException e, Dialect dialect) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException   // the pool timed out waiting for a connection
                || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException
                || (state != null && state.startsWith("08"))
                || dialect.isOutage(state, e.getErrorCode());
    }
}
