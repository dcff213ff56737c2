package dev.allocation.service;

import dev.allocation.application.port.StorageUnavailable;
import java.net.BindException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Why the service could not start, when the reason is an ordinary operational one, in one line and with
 * the exit code {@link ServiceCommandLine#USAGE} documents: 2 a configuration a broker refuses, 3 a port in use, 4 the database unreachable or in
 * use by another process, 5 Redis unreachable. Anything else is unexpected: exit 1, with its stack trace.
 *
 * @param exitCode the process's exit code
 * @param line     what to tell the operator
 */
record StartFailure(int exitCode, String line) {

    static final int UNEXPECTED = 1;
    static final int USAGE = 2;
    static final int PORT_IN_USE = 3;
    static final int DATABASE = 4;
    static final int REDIS = 5;

    /** H2's "database may be already in use": another process holds the files. */
    private static final int H2_DATABASE_IN_USE = 90020;

    /** The operational reason of {@code failure}, or empty when it is unexpected. */
    static Optional<StartFailure> of(Throwable failure, ServiceConfig config) {
        if (has(failure, ServiceConfig.UsageError.class)) {
            return Optional.of(new StartFailure(USAGE, find(failure, ServiceConfig.UsageError.class).getMessage()));
        }
        if (has(failure, BindException.class)) {
            return Optional.of(new StartFailure(PORT_IN_USE, firstLine(failure.getMessage())
                    + " (another process has the port: choose another with --port / --admin-port)"));
        }
        if (has(failure, io.lettuce.core.RedisConnectionException.class)) {
            return Optional.of(new StartFailure(REDIS, firstLine(find(failure,
                    io.lettuce.core.RedisConnectionException.class).getMessage())));
        }
        SQLException sql = find(failure, SQLException.class);
        if (sql != null && sql.getErrorCode() == H2_DATABASE_IN_USE) {
            return Optional.of(new StartFailure(DATABASE, "The database under " + config.dataDir().toAbsolutePath()
                    + " is in use by another process (another instance of the service?): stop it, or choose"
                    + " another --data-dir"));
        }
        if (sql != null || has(failure, StorageUnavailable.class)) {
            String where = config.databaseUrl().map(url -> url.split("[;?]", 2)[0])
                    .orElse("embedded H2 under " + config.dataDir().toAbsolutePath());
            return Optional.of(new StartFailure(DATABASE, "Cannot reach the database (" + where + "): "
                    + firstLine(root(failure).getMessage())));
        }
        return Optional.empty();
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return find(failure, type) != null;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
