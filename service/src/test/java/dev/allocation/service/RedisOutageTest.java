package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.testing.LocalRedis;
import dev.allocation.testing.RedisPerTest;
import dev.allocation.application.Backoff;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.service.LoadClients.Line;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Redis unreachable for at least 5 seconds, and until more than 20 allocations were acknowledged meanwhile
 * (a proxy between the service and Redis resets every connection and refuses new ones), while 4 clients keep
 * allocating on PostgreSQL: every command still succeeds, and once Redis is back every allocation is on the
 * {@code line_allocated} stream, each sku's in the order of its commits. Nothing is lost to the outage, however
 * long it lasts: the relay's retries are shortened so that the outage outlasts many times any number of
 * attempts after which an event could have been given up.
 */
@Timeout(100)
class RedisOutageTest {

    private static final List<String> SKUS = List.of("LAMP", "TABLE", "CHAIR", "SOFA");
    /** The shortest outage: 50 attempts and more, 50 ms to 100 ms apart. */
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** Commands acknowledged during the outage, more than which it lasts (their events wait in the outbox). */
    private static final int ACKNOWLEDGED_DURING_THE_OUTAGE = 20;
    /** The longest outage: by then, on a machine busy enough, the commands acknowledged meanwhile are counted. */
    private static final Duration OUTAGE_AT_MOST = Duration.ofSeconds(15);

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();

    @Test
    void a_redis_outage_longer_than_any_retry_limit_makes_no_event_dead_and_loses_no_allocation() throws Exception {
        LocalRedis redis = redisPerTest.local();
        try (TestDatabase database = TestDatabases.postgres(); TcpProxy proxy = TcpProxy.to("127.0.0.1", 6379)) {
            String proxied = redis.urlThrough(proxy.port());
            List<Line> acknowledged;
            int duringTheOutage;
            // retries at most 50 to 100 ms apart: 5 s away is 50 attempts and more. The relay that made an event
            // dead after 10 failed attempts, its default, would make the first ones dead within a second.
            OutboxRelay.Settings relay = OutboxRelay.Settings.DEFAULT.withBackoff(new Backoff(Duration.ofMillis(50),
                    Duration.ofMillis(100)));
            try (RunningService service = RunningService.start(TestConfigs.database(database.url(), database.user(),
                    database.password(), proxied), Bootstrap.builder().outboxRelay(relay))) {
                CrashRecoveryIT.addBatchesOf(new ApiClient(service.port()), SKUS);
                LoadClients clients = LoadClients.start(service.port(), 4, SKUS, "order");
                clients.awaitAcknowledged(50, Duration.ofSeconds(30));
                proxy.restart();
                int beforeTheOutage = clients.acknowledgedSoFar();
                long began = System.nanoTime();
                while (System.nanoTime() - began < OUTAGE.toNanos() || clients.acknowledgedSoFar() - beforeTheOutage
                        <= ACKNOWLEDGED_DURING_THE_OUTAGE && System.nanoTime() - began < OUTAGE_AT_MOST.toNanos()) {
                    LoadClients.pause(100);
                }
                duringTheOutage = clients.acknowledgedSoFar() - beforeTheOutage;
                proxy.accept();
                long away = Duration.ofNanos(System.nanoTime() - began).toMillis();
                LoadClients.Result load = clients.stop();
                acknowledged = load.acknowledged();
                System.out.printf("[redis away %d ms] clients: %s%n", away, load);
                assertThat(load.statuses()).as("every command answered 202 during the outage").containsOnlyKeys(202);

                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!(allOnTheStream(redis, acknowledged) && nothingPending(service))
                        && dead(service) == 0 && System.nanoTime() < deadline) {
                    LoadClients.pause(200);
                }
                assertThat(dead(service)).as("events set aside as dead").isZero();
            }
            Map<String, List<String>> streamOrder = new HashMap<>();
            for (StreamMessage<String, String> entry : redis.commands().xrange("line_allocated", Range.create("-", "+"))) {
                List<String> orders = streamOrder.computeIfAbsent(entry.getBody().get("sku"), sku -> new ArrayList<>());
                if (!orders.contains(entry.getBody().get("orderid"))) {
                    orders.add(entry.getBody().get("orderid"));
                }
            }
            Map<String, List<String>> storeOrder = new HashMap<>();
            try (Connection connection = database.dataSource().getConnection();
                 ResultSet rows = connection.createStatement()
                         .executeQuery("SELECT sku, orderid FROM allocations ORDER BY id")) {
                while (rows.next()) {
                    storeOrder.computeIfAbsent(rows.getString(1), sku -> new ArrayList<>()).add(rows.getString(2));
                }
            }
            // commands went on while Redis was away: their events waited in the outbox (how many depends on
            // the machine's speed; a busy CI machine acknowledges a few dozen)
            assertThat(duringTheOutage).as("allocations acknowledged while Redis was away")
                    .isGreaterThan(ACKNOWLEDGED_DURING_THE_OUTAGE);
            for (String sku : SKUS) {
                assertThat(streamOrder.get(sku)).as("%s on the stream, all of it, in the order of its commits", sku)
                        .isEqualTo(storeOrder.get(sku));
            }
        }
    }

    private static boolean nothingPending(RunningService service) {
        return figures(service).path("pending").asInt() == 0;
    }

    private static int dead(RunningService service) {
        return figures(service).path("dead").asInt();
    }

    private static JsonNode figures(RunningService service) {
        return ApiClient.json(new ApiClient(service.adminPort()).send("GET", "/outbox", null));
    }

    private static boolean allOnTheStream(LocalRedis redis, List<Line> lines) {
        Set<String> published = redis.commands().xrange("line_allocated", Range.create("-", "+")).stream()
                .map(entry -> entry.getBody().get("orderid")).collect(Collectors.toSet());
        return lines.stream().allMatch(line -> published.contains(line.orderId()));
    }
}
