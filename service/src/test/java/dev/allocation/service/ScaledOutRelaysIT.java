package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.service.LoadClients.Line;
import dev.allocation.testing.ApiClient;
import dev.allocation.testing.LocalRedis;
import dev.allocation.testing.RedisPerTest;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three instances of the service on one PostgreSQL database, each relaying its share of the outbox's
 * buckets to Redis under load, and one of them killed with {@code kill -9} while it publishes: the two
 * left take its buckets over once its lease lapsed, and every acknowledged allocation reaches the
 * {@code line_allocated} stream in the order of its sku's commits; an event is published twice only if
 * it was the dead relay's, in flight (API.md, "Integration events: the transactional outbox").
 */
@Timeout(180)
class ScaledOutRelaysIT {

    private static final List<String> SKUS = List.of("LAMP", "TABLE", "CHAIR", "SOFA", "DESK", "SHELF", "BED", "RUG");
    private static final int CLIENTS_PER_INSTANCE = 3;
    /** The events one claim of the dead relay can hold: those it may have published before its marks. */
    private static final int ONE_CLAIM = 256;

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();

    @Test
    void the_instances_left_take_over_a_killed_relay_s_buckets_and_every_acknowledged_event_goes_out_in_order()
            throws Exception {
        LocalRedis redis = redisPerTest.local();
        try (ServiceStorage storage = ServiceStorage.postgres()) {
            List<String> options = new ArrayList<>(storage.options());
            options.addAll(List.of("--redis-url", redis.url));
            List<Line> acknowledged = new ArrayList<>();
            try (ServiceProcess first = ServiceProcess.start("scaled-out-1", options, storage.environment());
                 ServiceProcess killed = ServiceProcess.start("scaled-out-2", options, storage.environment());
                 ServiceProcess third = ServiceProcess.start("scaled-out-3", options, storage.environment())) {
                CrashRecoveryIT.addBatchesOf(new ApiClient(first.port()), SKUS);
                List<LoadClients> load = new ArrayList<>();
                for (ServiceProcess instance : List.of(first, killed, third)) {
                    load.add(LoadClients.start(instance.port(), CLIENTS_PER_INSTANCE, SKUS, "i" + load.size()));
                }
                Map<String, Integer> beforeTheKill = bucketsHeld(storage);
                long settled = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!(beforeTheKill.size() == 3 && beforeTheKill.values().stream().allMatch(held -> held >= 21))
                        && System.nanoTime() < settled) {   // each relay's first renewals
                    LoadClients.pause(100);
                    beforeTheKill = bucketsHeld(storage);
                }
                load.get(1).awaitAcknowledged(300, Duration.ofSeconds(60));

                killed.kill();
                load.get(0).awaitAcknowledged(600, Duration.ofSeconds(60));
                for (LoadClients clients : load) {
                    LoadClients.Result result = clients.stop();
                    acknowledged.addAll(result.acknowledged());
                    System.out.printf("[scaled-out relays] clients: %s%n", result);
                }
                System.out.printf("[scaled-out relays] buckets held before the kill: %s%n", beforeTheKill);
                assertThat(beforeTheKill).as("each of the three relays held its share of the buckets")
                        .hasSize(3).allSatisfy((relay, buckets) -> assertThat(buckets).isBetween(21, 22));

                ApiClient admin = new ApiClient(first.adminPort());
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                Map<String, Integer> afterTheKill = bucketsHeld(storage);
                // the load may end before the dead relay's lease lapses: then its buckets hold nothing to
                // publish, and the two left take them at their first renewals after it lapsed, one then the other
                while (!(publishedAll(redis, acknowledged) && nothingPending(admin) && sharedByTwo(afterTheKill))
                        && System.nanoTime() < deadline) {
                    LoadClients.pause(200);
                    afterTheKill = bucketsHeld(storage);
                }
                System.out.printf("[scaled-out relays] buckets held after the kill: %s%n", afterTheKill);
                assertThat(afterTheKill).as("the two left share every bucket, the dead one's among them")
                        .hasSize(2).allSatisfy((relay, buckets) -> assertThat(buckets).isEqualTo(32));
            }

            List<StreamMessage<String, String>> stream =
                    redis.commands().xrange("line_allocated", Range.create("-", "+"));
            Map<String, List<String>> streamOrder = new HashMap<>();
            Set<String> seen = new HashSet<>();
            int repeats = 0;
            for (StreamMessage<String, String> entry : stream) {
                String orderId = entry.getBody().get("orderid");
                if (seen.add(orderId)) {
                    streamOrder.computeIfAbsent(entry.getBody().get("sku"), sku -> new ArrayList<>()).add(orderId);
                } else {
                    repeats++;
                }
            }
            System.out.printf("[scaled-out relays] %d acknowledged, %d entries on the stream, %d repeats%n",
                    acknowledged.size(), stream.size(), repeats);
            assertThat(acknowledged).as("every acknowledged line published")
                    .allSatisfy(line -> assertThat(seen).contains(line.orderId()));
            assertThat(repeats).as("published twice: only the dead relay's events in flight").isLessThanOrEqualTo(ONE_CLAIM);
            Map<String, List<String>> storeOrder = allocationsBySkuInCommitOrder(storage);
            for (String sku : SKUS) {
                assertThat(streamOrder.get(sku)).as("%s on the stream, in the order of its commits", sku)
                        .isEqualTo(storeOrder.get(sku));
            }
        }
    }

    private static boolean sharedByTwo(Map<String, Integer> held) {
        return held.size() == 2 && held.values().stream().allMatch(buckets -> buckets == 32);
    }

    private static Map<String, Integer> bucketsHeld(ServiceStorage storage) throws SQLException {
        Map<String, Integer> held = new TreeMap<>();
        try (Connection connection = storage.database().dataSource().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT relay_id, COUNT(*) FROM outbox_buckets"
                     + " WHERE relay_id IS NOT NULL GROUP BY relay_id")) {
            while (rows.next()) {
                held.put(rows.getString(1), rows.getInt(2));
            }
        }
        return held;
    }

    private static Map<String, List<String>> allocationsBySkuInCommitOrder(ServiceStorage storage) throws SQLException {
        Map<String, List<String>> bySku = new HashMap<>();
        try (Connection connection = storage.database().dataSource().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT sku, orderid FROM allocations ORDER BY id")) {
            while (rows.next()) {
                bySku.computeIfAbsent(rows.getString(1), sku -> new ArrayList<>()).add(rows.getString(2));
            }
        }
        return bySku;
    }

    private static boolean nothingPending(ApiClient admin) {
        return ApiClient.json(admin.send("GET", "/outbox", null)).path("pending").asLong(-1) == 0;
    }

    private static boolean publishedAll(LocalRedis redis, List<Line> lines) {
        Set<String> published = new HashSet<>();
        redis.commands().xrange("line_allocated", Range.create("-", "+"))
                .forEach(entry -> published.add(entry.getBody().get("orderid")));
        return lines.stream().allMatch(line -> published.contains(line.orderId()));
    }
}
