package dev.allocation.adapters.jdbc;

import dev.allocation.application.port.ExclusiveJobs;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ExclusiveJobs} on PostgreSQL: the right to run a job is a session-level advisory lock, held on
 * a connection of its own for as long as the job runs. An instance that stops gives it up; one that
 * dies, or loses its connection, loses it with its session. The others try for it every
 * {@link #TRY_INTERVAL}. The holder checks its connection every {@code CHECK_INTERVAL} and stops its
 * job when the connection fails, since its lock is then gone; and a new holder waits
 * {@link #TAKEOVER_DELAY}, the longest that takes, before it starts the job, so that two instances never
 * run it at once.
 */
final class AdvisoryLockJobs implements ExclusiveJobs {

    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);
    static final Duration TRY_INTERVAL = Duration.ofSeconds(1);
    static final Duration TAKEOVER_DELAY = CHECK_INTERVAL.plus(CHECK_TIMEOUT).plusMillis(250);

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLockJobs.class);

    private final DataSource dataSource;

    AdvisoryLockJobs(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public AutoCloseable runExclusively(String name, Job job) {
        Runner runner = new Runner(name, job);
        Thread thread = new Thread(runner, "allocation-exclusive-" + name);
        thread.setDaemon(true);
        thread.start();
        return () -> {
            runner.stop.countDown();
            thread.join(Duration.ofSeconds(30).toMillis());
        };
    }

    private final class Runner implements Runnable {

        private final String name;
        private final Job job;
        private final long key;
        private final CountDownLatch stop = new CountDownLatch(1);

        Runner(String name, Job job) {
            this.name = name;
            this.job = job;
            // the same in every instance, and unlikely to meet another application's
            this.key = UUID.nameUUIDFromBytes(("dev.allocation.exclusive:" + name).getBytes(StandardCharsets.UTF_8))
                    .getMostSignificantBits();
        }

        @Override
        public void run() {
            while (stop.getCount() > 0) {
                try (Connection connection = dataSource.getConnection()) {
                    try {
                        if (call(connection, "SELECT pg_try_advisory_lock(?)")) {
                            runWhileHeld(connection);
                        }
                    } finally {
                        unlock(connection);   // before the connection goes back to a pool
                    }
                } catch (SQLException | RuntimeException e) {
                    log.warn("Cannot hold the exclusive right to {}: {}", name, e.toString());
                }
                pause(TRY_INTERVAL);
            }
        }

        private void runWhileHeld(Connection connection) throws SQLException {
            long takeOverAt = System.nanoTime() + TAKEOVER_DELAY.toNanos();
            while (System.nanoTime() < takeOverAt) {
                if (pause(CHECK_INTERVAL) || !connection.isValid((int) CHECK_TIMEOUT.toSeconds())) {
                    return;
                }
            }
            log.info("This instance now runs {} (the only one to)", name);
            AutoCloseable running = job.start();
            try {
                while (!pause(CHECK_INTERVAL)) {
                    if (!connection.isValid((int) CHECK_TIMEOUT.toSeconds())) {
                        log.warn("Lost the exclusive right to {} with its database connection: stopping it", name);
                        return;
                    }
                }
            } finally {
                try {
                    running.close();
                } catch (Exception e) {
                    log.warn("Stopping {} failed: {}", name, e.toString());
                }
                log.info("This instance no longer runs {}", name);
            }
        }

        /** Gives the lock up; a connection that failed has lost it with its session already. */
        private void unlock(Connection connection) {
            try {
                call(connection, "SELECT pg_advisory_unlock(?)");
            } catch (SQLException e) {
                log.debug("Unlocking {} failed (the session is gone, and its lock with it): {}", name, e.toString());
            }
        }

        /** Calls an advisory lock function on this job's key; its answer. */
        private boolean call(Connection connection, String sql) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, key);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        }

        /** Waits {@code interval}; true when told to stop meanwhile. */
        private boolean pause(Duration interval) {
            try {
                return stop.await(interval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    }
}
