package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.application.port.ExclusiveJobs;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link JdbiStorage#exclusiveJobs()} on PostgreSQL, with two storages on one database standing for two
 * instances of the service (each with a pool of its own): a job runs on one of them at a time; the other takes
 * it over when the holder gives it up, or when the holder's database session dies. Skipped without a local
 * PostgreSQL, unless {@code CI=true}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExclusiveJobsOnPostgresTest {

    private static final String JOB = "exclusive-jobs-test";
    /** The longest from a holder's stop to the other's start: one try for the lock, then the takeover delay. */
    private static final Duration HAND_OVER_BOUND = AdvisoryLockJobs.TRY_INTERVAL.plus(AdvisoryLockJobs.TAKEOVER_DELAY)
            .plusMillis(500);

    private TestDatabase postgres;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<AutoCloseable> jobs = new ArrayList<>();
    private final Runs runs = new Runs();

    @BeforeEach
    void createDatabase() {
        postgres = TestDatabases.postgres();
    }

    @AfterEach
    void stopJobsAndDropTheDatabase() throws Exception {
        try {
            for (AutoCloseable job : jobs) {
                job.close();
            }
            pools.forEach(HikariDataSource::close);
        } finally {
            postgres.close();
        }
    }

    @Test
    void only_one_of_two_instances_runs_the_job_and_the_other_takes_it_over_within_seconds_of_its_stop()
            throws Exception {
        AutoCloseable first = runExclusively(instance("first"), "first");
        runs.awaitRunning("first", Duration.ofSeconds(5));
        runExclusively(instance("second"), "second");

        Thread.sleep(2_500);   // the second instance tries for the right twice, at least
        assertThat(runs.running()).as("instances running the job while the first holds the right").containsOnly("first");
        assertThat(runs.starts("second")).as("starts of the job on the second instance").isZero();

        long stopping = System.nanoTime();
        first.close();
        runs.awaitRunning("second", Duration.ofSeconds(5));
        long handOverMillis = TimeUnit.NANOSECONDS.toMillis(runs.lastStart("second") - stopping);
        System.out.printf("Handed over %d ms after the first instance began to stop%n", handOverMillis);

        assertThat(handOverMillis).as("ms from the stop of the holder to the start of the job on the other")
                .isLessThanOrEqualTo(HAND_OVER_BOUND.toMillis());
        assertThat(runs.overlaps()).as("times both ran the job at once").isEmpty();
        assertThat(runs.running()).containsOnly("second");
    }

    @Test
    void a_holder_whose_database_session_is_killed_stops_its_job_and_the_other_instance_takes_it_over() throws Exception {
        runExclusively(instance("first"), "first");
        runs.awaitRunning("first", Duration.ofSeconds(5));
        runExclusively(instance("second"), "second");
        Thread.sleep(1_500);
        assertThat(runs.running()).containsOnly("first");

        Takeover takeover = killTheHolder("first", "second");
        System.out.println("The second took over: " + takeover);
        takeover.assertWithin(HAND_OVER_BOUND);

        Thread.sleep(2_500);   // the first instance tries again, twice at least, and must not get the right
        assertThat(runs.starts("first")).as("starts of the job on the first instance while the second holds it")
                .isEqualTo(1);
        assertThat(runs.running()).containsOnly("second");

        Takeover back = killTheHolder("second", "first");
        System.out.println("The first took it back: " + back);
        back.assertWithin(HAND_OVER_BOUND);
        assertThat(runs.overlaps()).as("times both ran the job at once").isEmpty();
    }

    /** How long after the kill the holder stopped its job and the other started it, and how long both ran. */
    private record Takeover(long stoppedMillis, long startedMillis, int terminated) {

        void assertWithin(Duration bound) {
            assertThat(terminated).as("sessions holding an advisory lock, terminated").isEqualTo(1);
            assertThat(stoppedMillis).as("ms from the kill to the stop of the holder's job")
                    .isBetween(0L, bound.toMillis());
            assertThat(startedMillis).as("ms from the kill to the start of the job on the other instance")
                    .isBetween(0L, bound.toMillis());
            assertThat(startedMillis).as("ms from the kill to the start on the other, after the holder stopped")
                    .isGreaterThanOrEqualTo(stoppedMillis);
        }
    }

    private Takeover killTheHolder(String holder, String other) throws Exception {
        int startsBefore = runs.starts(other);
        long killed = System.nanoTime();
        int terminated = terminateAdvisoryLockHolders();
        runs.awaitStopped(holder, Duration.ofSeconds(10));
        runs.awaitStarts(other, startsBefore + 1, Duration.ofSeconds(10));
        return new Takeover(TimeUnit.NANOSECONDS.toMillis(runs.lastStop(holder) - killed),
                TimeUnit.NANOSECONDS.toMillis(runs.lastStart(other) - killed), terminated);
    }

    /** {@code pg_terminate_backend} on every session holding an advisory lock in the test database. */
    private int terminateAdvisoryLockHolders() throws SQLException {
        try (Connection admin = postgres.dataSource().getConnection();
             Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT pg_terminate_backend(pid) FROM pg_locks
                     WHERE locktype = 'advisory' AND granted
                       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            int terminated = 0;
            while (rows.next()) {
                terminated += rows.getBoolean(1) ? 1 : 0;
            }
            return terminated;
        }
    }

    /** Storage on the test database, on a pool of its own, as one instance of the service would have. */
    private JdbiStorage instance(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.url());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        config.setPoolName(name);
        config.setMaximumPoolSize(3);
        config.setConnectionTimeout(2_000);
        config.addDataSourceProperty("ApplicationName", name);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return JdbiStorage.builder(pool).build();
    }

    private AutoCloseable runExclusively(JdbiStorage storage, String instance) {
        AutoCloseable job = storage.exclusiveJobs().runExclusively(JOB, runs.job(instance));
        jobs.add(job);
        return job;
    }

    /** When each instance started and stopped the job, and every time both ran it at once. */
    private static final class Runs {

        private final Set<String> running = new HashSet<>();
        private final List<String> startedBy = new ArrayList<>();
        private final Map<String, Long> lastStart = new HashMap<>();
        private final Map<String, Long> lastStop = new HashMap<>();
        private final List<Duration> overlaps = new ArrayList<>();
        private long overlapSince;

        ExclusiveJobs.Job job(String instance) {
            return () -> {
                started(instance);
                return () -> stopped(instance);
            };
        }

        private synchronized void started(String instance) {
            long now = System.nanoTime();
            running.add(instance);
            startedBy.add(instance);
            lastStart.put(instance, now);
            if (running.size() > 1 && overlapSince == 0) {
                overlapSince = now;
            }
            notifyAll();
        }

        private synchronized void stopped(String instance) {
            long now = System.nanoTime();
            running.remove(instance);
            lastStop.put(instance, now);
            if (running.size() <= 1 && overlapSince != 0) {
                overlaps.add(Duration.ofNanos(now - overlapSince));
                overlapSince = 0;
            }
            notifyAll();
        }

        synchronized Set<String> running() {
            return Set.copyOf(running);
        }

        synchronized int starts(String instance) {
            return (int) startedBy.stream().filter(instance::equals).count();
        }

        synchronized long lastStart(String instance) {
            return lastStart.get(instance);
        }

        synchronized long lastStop(String instance) {
            return lastStop.get(instance);
        }

        synchronized List<Duration> overlaps() {
            List<Duration> all = new ArrayList<>(overlaps);
            if (overlapSince != 0) {
                all.add(Duration.ofNanos(System.nanoTime() - overlapSince));
            }
            return all;
        }

        synchronized void awaitRunning(String instance, Duration timeout) throws InterruptedException {
            await(() -> running.contains(instance), instance + " runs the job", timeout);
        }

        synchronized void awaitStopped(String instance, Duration timeout) throws InterruptedException {
            await(() -> !running.contains(instance), instance + " stopped the job", timeout);
        }

        synchronized void awaitStarts(String instance, int count, Duration timeout) throws InterruptedException {
            await(() -> starts(instance) >= count, instance + " started the job " + count + " times", timeout);
        }

        private void await(BooleanSupplier condition, String what, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Not within " + timeout + ": " + what + "; running: " + running
                            + ", starts: " + startedBy);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
