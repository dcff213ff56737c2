package dev.allocation.adapters.jdbc;

import dev.allocation.application.port.ConcurrencyConflict;
import java.sql.SQLException;
import java.util.Optional;

/** Tells a lost race (which the message bus retries) from every other failure of the database. */
final class Failures {

    private Failures() {
    }

    /** A {@link ConcurrencyConflict} when {@code failure} means another transaction got in the way; else itself. */
    static RuntimeException translate(RuntimeException failure, Dialect dialect) {
        if (failure instanceof ConcurrencyConflict) {
            return failure;
        }
        Optional<SQLException> cause = sqlCause(failure);
        if (cause.isPresent() && dialect.isLostRace(cause.get().getSQLState(), cause.get().getErrorCode())) {
            return new ConcurrencyConflict("Lost a race with another transaction: " + cause.get().getMessage(),
                    failure);
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
}
