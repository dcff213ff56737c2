package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.testing.LocalRedis;
import dev.allocation.testing.RedisPerTest;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.service.LoadClients.Line;
import io.lettuce.core.api.sync.RedisCommands;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances of the service on one PostgreSQL database and one Redis server, clients allocating through
 * both, and in the middle a sequence of shrinks and growths of three batches sent on {@code
 * change_batch_quantity}: each message is applied once, in the order sent, by the one instance that holds the
 * right to consume the channel; when that instance stops, the other takes the channel over. Every change of a
 * batch's quantity is recorded by a trigger of the test's own in the test database, with the {@code
 * application_name} of the session that committed it (each instance has its own). Skipped without a local
 * PostgreSQL or Redis, unless {@code CI=true}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoInstancesOnPubSubTest {

    private static final String ONE = "allocation-instance-one";
    private static final String TWO = "allocation-instance-two";
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(20);
    /** An instance tries for the channel every second and, once it holds it, waits 1.5 s before it subscribes. */
    private static final Duration HAND_OVER_WITHIN = Duration.ofSeconds(4);

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();

    /** A change of a batch's quantity as the trigger recorded it, in commit order per batch. */
    private record Change(String batch, int from, int to, int allocatedBefore, String appliedBy) {

        /** A shrink below what the batch held: it gave lines back, which were allocated again. */
        boolean gaveLinesBack() {
            return to < allocatedBefore;
        }
    }

    @Test
    void each_quantity_change_is_applied_once_and_in_order_by_one_instance_and_the_other_takes_over_when_it_stops()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);   // pub/sub is shared: batches of this run only
        Map<String, Integer> initial = new LinkedHashMap<>();
        initial.put("A-" + run, 400);
        initial.put("B-" + run, 300);
        initial.put("C-" + run, 500);
        Map<String, List<Integer>> whileBothRun = Map.of(
                "A-" + run, List.of(100, 400, 100, 300),
                "B-" + run, List.of(50, 250, 0, 150),
                "C-" + run, List.of(200, 450, 120, 350));
        Map<String, Integer> afterTheHolderStopped = Map.of("A-" + run, 200, "B-" + run, 100, "C-" + run, 80);
        List<String> skus = initial.keySet().stream().map(batch -> "SKU-" + batch).toList();

        LocalRedis local = redisPerTest.local();   // its database keeps this test's streams apart
        try (TestDatabase database = TestDatabases.postgres()) {
            RedisCommands<String, String> redis = local.commands();
            // the channel is the whole server's: other runs' subscribers may come and go, so only the clients
            // named for this run are counted
            String clientName = "pubsub-test-" + run;
            String url = local.url + "?clientName=" + clientName;

            RunningService one = start(database, ONE, url);
            RunningService two = null;
            LoadClients loadOne = null;
            LoadClients loadTwo = null;
            try {
                assertThat(holderWithin(database, Duration.ofSeconds(10), ONE)).as("the holder of the channel")
                        .contains(ONE);
                recordQuantityChanges(database);
                two = start(database, TWO, url);
                ApiClient api = new ApiClient(one.port());
                for (Map.Entry<String, Integer> batch : initial.entrySet()) {
                    String sku = "SKU-" + batch.getKey();
                    assertThat(api.addBatch(batch.getKey(), sku, batch.getValue(), null).statusCode()).isEqualTo(201);
                    assertThat(api.addBatch(batch.getKey() + "-later", sku, 100_000, "2099-01-01").statusCode())
                            .isEqualTo(201);
                }
                loadOne = LoadClients.start(one.port(), 2, skus, "one-" + run);
                loadTwo = LoadClients.start(two.port(), 2, skus, "two-" + run);
                loadOne.awaitAcknowledged(150, Duration.ofSeconds(20));
                loadTwo.awaitAcknowledged(150, Duration.ofSeconds(20));
                assertThat(subscribedWithin(redis, clientName, Duration.ofSeconds(5), 1))
                        .as("instances subscribed to %s while both run", RedisBroker.CHANGE_BATCH_QUANTITY).isEqualTo(1);

                // rounds of changes, each round one message per batch, while the clients allocate through both
                List<Long> receivers = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    for (Map.Entry<String, List<Integer>> batch : whileBothRun.entrySet()) {
                        publish(redis, batch.getKey(), batch.getValue().get(round));
                        receivers.add(subscribers(redis, clientName));
                    }
                    Thread.sleep(100);
                }
                int sentWhileBothRun = whileBothRun.values().stream().mapToInt(List::size).sum();
                List<Change> appliedWhileBothRun = awaitChanges(database, sentWhileBothRun);

                LoadClients.Result resultOne = loadOne.stop();
                one.close();
                long stopped = System.nanoTime();
                long subscribedAfterStop = subscribedWithin(redis, clientName, HAND_OVER_WITHIN, 1);
                Optional<String> holderAfterStop = holder(database);
                long handedOverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
                for (Map.Entry<String, Integer> batch : afterTheHolderStopped.entrySet()) {
                    publish(redis, batch.getKey(), batch.getValue());
                    receivers.add(subscribers(redis, clientName));
                }
                List<Change> applied = awaitChanges(database, sentWhileBothRun + afterTheHolderStopped.size());
                Thread.sleep(500);   // a message applied twice would show now
                applied = changes(database);
                LoadClients.Result resultTwo = loadTwo.stop();
                System.out.printf("Changes applied: %s%nreceivers of each message: %s; holder %d ms after the first"
                                + " instance stopped: %s%nclients of the first instance: %s; of the second: %s%n",
                        applied, receivers, handedOverMillis, holderAfterStop,
                        resultOne, resultTwo);

                SoftAssertions softly = new SoftAssertions();
                softly.assertThat(receivers).as("instances subscribed as each message was sent").containsOnly(1L);
                softly.assertThat(subscribedAfterStop).as("subscribers within %s of the first instance's stop",
                        HAND_OVER_WITHIN).isEqualTo(1);
                softly.assertThat(holderAfterStop).as("the holder of the channel once subscribed again")
                        .contains(TWO);
                for (String batch : initial.keySet()) {
                    List<Integer> sent = Stream.concat(whileBothRun.get(batch).stream(),
                            Stream.of(afterTheHolderStopped.get(batch))).toList();
                    softly.assertThat(applied.stream().filter(c -> c.batch().equals(batch)).map(Change::to).toList())
                            .as("the quantities batch %s took, in commit order (each message once, in order)", batch)
                            .isEqualTo(sent);
                    softly.assertThat(quantity(database, batch)).as("the final quantity of %s", batch)
                            .isEqualTo(afterTheHolderStopped.get(batch));
                }
                softly.assertThat(applied).as("shrinks that gave lines back (to be allocated again)")
                        .filteredOn(Change::gaveLinesBack).isNotEmpty();
                softly.assertThat(appliedWhileBothRun).as("changes applied while both instances ran")
                        .extracting(Change::appliedBy).containsOnly(ONE);
                softly.assertThat(applied.subList(Math.min(sentWhileBothRun, applied.size()), applied.size()))
                        .as("changes applied after the first instance stopped").extracting(Change::appliedBy)
                        .containsOnly(TWO);
                softly.assertThat(resultOne.serverErrors()).as("500s to the first instance's clients").isEmpty();
                softly.assertThat(resultTwo.serverErrors()).as("500s to the second instance's clients").isEmpty();
                softly.assertAll();

                List<Line> acknowledged = Stream.concat(resultOne.acknowledged().stream(),
                        resultTwo.acknowledged().stream()).toList();
                StoreAudit audit = StoreAudit.read(database.dataSource(), LoadClients.allocationsOf(two.port(),
                        acknowledged.stream().map(Line::orderId).collect(Collectors.toSet())));
                System.out.println("After the changes: " + audit);
                audit.assertKeeps(acknowledged);
            } finally {
                for (AutoCloseable closeable : new AutoCloseable[] {loadOne, loadTwo, one, two}) {
                    if (closeable != null) {
                        closeable.close();
                    }
                }
            }
        }
    }

    /** An instance on {@code database}, with Redis, whose sessions carry {@code name} as their application_name. */
    private static RunningService start(TestDatabase database, String name, String redisUrl) {
        return RunningService.start(TestConfigs.database(database.url() + "?ApplicationName=" + name, database.user(),
                database.password(), redisUrl), Bootstrap.builder());
    }

    /** The subscribers of the channel once they are {@code expected}, or when {@code atMost} has passed. */
    private static long subscribedWithin(RedisCommands<String, String> redis, String clientName, Duration atMost,
                                         long expected) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        long subscribers = subscribers(redis, clientName);
        while (subscribers != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            subscribers = subscribers(redis, clientName);
        }
        return subscribers;
    }

    /** This run's connections subscribed to a channel (the instances' only subscription is the commands'). */
    private static long subscribers(RedisCommands<String, String> redis, String clientName) {
        return redis.clientList().lines()
                .filter(client -> client.contains(" name=" + clientName + " "))
                .filter(client -> !client.contains(" sub=0 "))
                .count();
    }

    private static long publish(RedisCommands<String, String> redis, String batch, int qty) {
        return redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\":\"" + batch + "\",\"qty\":" + qty + "}");
    }

    /** A trigger of the test's own: every committed change of a batch's purchased quantity, and who made it. */
    private static void recordQuantityChanges(TestDatabase database) throws SQLException {
        execute(database, """
                CREATE TABLE test_quantity_changes (
                    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    batchref   VARCHAR(255) NOT NULL,
                    old_qty    INTEGER NOT NULL,
                    new_qty    INTEGER NOT NULL,
                    old_allocated INTEGER NOT NULL,
                    applied_by TEXT NOT NULL DEFAULT current_setting('application_name'))""");
        execute(database, """
                CREATE FUNCTION test_record_quantity_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO test_quantity_changes (batchref, old_qty, new_qty, old_allocated)
                        VALUES (NEW.reference, OLD.purchased_quantity, NEW.purchased_quantity, OLD.allocated_quantity);
                    RETURN NULL;
                END $$""");
        execute(database, """
                CREATE TRIGGER test_quantity_changes AFTER UPDATE OF purchased_quantity ON batches
                    FOR EACH ROW WHEN (OLD.purchased_quantity IS DISTINCT FROM NEW.purchased_quantity)
                    EXECUTE FUNCTION test_record_quantity_change()""");
    }

    /** Waits until at least {@code count} changes were committed; the changes then. */
    private static List<Change> awaitChanges(TestDatabase database, int count) throws SQLException {
        long deadline = System.nanoTime() + APPLIED_WITHIN.toNanos();
        List<Change> changes = changes(database);
        while (changes.size() < count && System.nanoTime() < deadline) {
            LoadClients.pause(50);
            changes = changes(database);
        }
        return changes;
    }

    /** Every recorded change, in the order of their ids (for one batch: the order of their commits). */
    private static List<Change> changes(TestDatabase database) throws SQLException {
        List<Change> changes = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT batchref, old_qty, new_qty, old_allocated, applied_by FROM test_quantity_changes ORDER BY id")) {
            while (rows.next()) {
                changes.add(new Change(rows.getString(1), rows.getInt(2), rows.getInt(3), rows.getInt(4),
                        rows.getString(5)));
            }
        }
        return changes;
    }

    private static int quantity(TestDatabase database, String batch) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT purchased_quantity FROM batches WHERE reference = '" + batch + "'")) {
            return rows.next() ? rows.getInt(1) : -1;
        }
    }

    /**
     * The application_name of the sessions holding an advisory lock in the test database, if any: the
     * instance that consumes the channel (and the stream, which it took at the same start).
     */
    private static Optional<String> holder(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT DISTINCT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                     WHERE l.locktype = 'advisory' AND l.granted
                       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            List<String> holders = new ArrayList<>();
            while (rows.next()) {
                holders.add(rows.getString(1));
            }
            assertThat(holders).as("instances holding an advisory lock").hasSizeLessThanOrEqualTo(1);
            return holders.stream().findFirst();
        }
    }

    private static Optional<String> holderWithin(TestDatabase database, Duration timeout, String expected)
            throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> holder = holder(database);
        while (!holder.equals(Optional.of(expected)) && System.nanoTime() < deadline) {
            LoadClients.pause(50);
            holder = holder(database);
        }
        return holder;
    }

    private static void execute(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
