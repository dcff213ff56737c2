package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.testing.RedisPerTest;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running service's {@code /metrics} under load from several clients, on H2 files: the bus's, the
 * outbox's, the pool's and the JVM's meters are there and move. And {@code /health/ready} means "can
 * serve": it follows the storage (503 while the database does not answer), not Redis, whose outage
 * (a proxy in front of it stops) only shows as a detail of the answer and in {@code /metrics}, while
 * commands go on and the outbox keeps their events.
 */
class MetricsAndReadinessTest {

    private static final String BROKER_UP = "allocation_broker_up{broker=\"redis\"}";
    private static final String READY_REDIS_UP = "{\"status\":\"ok\",\"checks\":{\"storage\":\"up\",\"redis\":\"up\"}}";
    private static final String READY_REDIS_DOWN =
            "{\"status\":\"ok\",\"checks\":{\"storage\":\"up\",\"redis\":\"down\"}}";

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();

    @Test
    void the_meters_appear_and_move_under_load(@TempDir Path data) throws Exception {
        try (RunningService service = RunningService.start(TestConfigs.h2Files(data),
                Bootstrap.builder().notifications((to, message) -> { }))) {
            ApiClient api = new ApiClient(service.port());
            api.addBatch("b1", "LAMP", 1_000_000, null);
            String before = api.send("GET", "/metrics", null).body();

            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int order = i;
                statuses.add(clients.submit(() -> api.allocate("o" + order, "LAMP", 1).statusCode()));
            }
            statuses.add(clients.submit(() -> api.allocate("o-refused", "NOPE", 1).statusCode()));
            for (Future<Integer> status : statuses) {
                status.get();
            }
            clients.shutdown();
            String after = api.send("GET", "/metrics", null).body();

            String allocated = "allocation_messages_seconds_count{kind=\"command\",outcome=\"success\",type=\"Allocate\"}";
            assertThat(value(after, allocated) - value(before, allocated)).isEqualTo(200);
            assertThat(value(after, "allocation_messages_seconds_count{kind=\"command\",outcome=\"refused\",type=\"Allocate\"}"))
                    .isEqualTo(1);
            assertThat(value(after, "allocation_messages_seconds_count{kind=\"event\",outcome=\"success\",type=\"Allocated\"}"))
                    .isEqualTo(200);
            assertThat(after).contains("allocation_outbox_pending ", "allocation_outbox_oldest_age_seconds ",
                    "allocation_outbox_dead ", "hikaricp_connections_active{pool=\"allocation\"}", "jvm_memory_used_bytes");
            System.out.println(after.lines().filter(line -> line.startsWith("allocation_")
                    || line.startsWith("hikaricp_connections_active")).toList());
        }
    }

    @Test
    void while_redis_does_not_answer_the_service_stays_ready_takes_commands_and_says_redis_is_down() throws Exception {
        try (TcpProxy proxy = TcpProxy.to("127.0.0.1", 6379)) {
            String proxied = redisPerTest.local().urlThrough(proxy.port());
            try (RunningService service = RunningService.start(TestConfigs.inMemoryWithRedis(proxied),
                    Bootstrap.builder().notifications((to, message) -> { }))) {
                ApiClient api = new ApiClient(service.port());
                api.addBatch("b1", "LAMP", 100, null);
                assertThat(api.send("GET", "/health/ready", null).body()).isEqualTo(READY_REDIS_UP);
                assertThat(value(api.send("GET", "/metrics", null).body(), BROKER_UP)).isEqualTo(1);

                proxy.restart();   // resets every connection and refuses new ones until accept()
                HttpResponse<String> ready = answerWithin(api, "/health/ready", READY_REDIS_DOWN, Duration.ofSeconds(10));
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).isEqualTo(READY_REDIS_DOWN);
                assertThat(api.send("GET", "/health", null).statusCode()).isEqualTo(200);
                assertThat(value(api.send("GET", "/metrics", null).body(), BROKER_UP)).isEqualTo(0);
                assertThat(api.allocate("o1", "LAMP", 1).statusCode()).isEqualTo(202);

                proxy.accept();
                assertThat(answerWithin(api, "/health/ready", READY_REDIS_UP, Duration.ofSeconds(15)).body())
                        .isEqualTo(READY_REDIS_UP);
                assertThat(value(api.send("GET", "/metrics", null).body(), BROKER_UP)).isEqualTo(1);
            }
        }
    }

    @Test
    void while_the_database_does_not_answer_the_service_is_not_ready_and_says_the_storage_is_down() throws Exception {
        try (TestDatabase database = TestDatabases.postgres()) {
            URI target = URI.create(database.url().substring("jdbc:".length()));
            try (TcpProxy proxy = TcpProxy.to(target.getHost(), target.getPort());
                 RunningService service = RunningService.start(TestConfigs.database("jdbc:postgresql://127.0.0.1:"
                         + proxy.port() + target.getPath(), database.user(), database.password(), null),
                         Bootstrap.builder())) {
                ApiClient api = new ApiClient(service.port());
                assertThat(api.send("GET", "/health/ready", null).body())
                        .isEqualTo("{\"status\":\"ok\",\"checks\":{\"storage\":\"up\"}}");

                proxy.restart();
                String storageDown = "{\"status\":\"unavailable\",\"checks\":{\"storage\":\"down\"}}";
                HttpResponse<String> ready = answerWithin(api, "/health/ready", storageDown, Duration.ofSeconds(5));

                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).isEqualTo(storageDown);
            }
        }
    }

    /** The first answer to {@code GET path} whose body is {@code expected}, else the last one after {@code atMost}. */
    private static HttpResponse<String> answerWithin(ApiClient api, String path, String expected, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        HttpResponse<String> answer = api.send("GET", path, null);
        while (!answer.body().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = api.send("GET", path, null);
        }
        return answer;
    }

    /** The value of a sample of the Prometheus text, 0 when it is not there yet. */
    private static double value(String scrape, String sample) {
        Matcher line = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
