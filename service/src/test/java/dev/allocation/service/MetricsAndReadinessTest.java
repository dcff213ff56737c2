package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.testing.LocalRedis;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The running service's {@code /metrics} under load from several clients, on H2 files: the bus's, the
 * outbox's, the pool's and the JVM's meters are there and move. And {@code /health/ready} follows Redis:
 * 503 while it does not answer (a proxy in front of it stops), 200 once it is back.
 */
class MetricsAndReadinessTest {

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
    void ready_is_a_503_while_redis_does_not_answer_and_a_200_once_it_is_back() throws Exception {
        LocalRedis.requireRunning();
        try (LocalRedis redis = new LocalRedis(); TcpProxy proxy = TcpProxy.to("127.0.0.1", 6379)) {
            String proxied = redis.url.replace("127.0.0.1:6379", "127.0.0.1:" + proxy.port());
            try (RunningService service = RunningService.start(TestConfigs.inMemoryWithRedis(proxied),
                    Bootstrap.builder().notifications((to, message) -> { }))) {
                ApiClient api = new ApiClient(service.port());
                assertThat(api.send("GET", "/health/ready", null).statusCode()).isEqualTo(200);

                proxy.restart();   // resets every connection and refuses new ones until accept()
                assertThat(statusWithin(api, "/health/ready", 503, Duration.ofSeconds(10))).isEqualTo(503);
                assertThat(api.send("GET", "/health/live", null).statusCode()).isEqualTo(200);

                proxy.accept();
                assertThat(statusWithin(api, "/health/ready", 200, Duration.ofSeconds(15))).isEqualTo(200);
            }
        }
    }

    private static int statusWithin(ApiClient api, String path, int expected, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        int status = api.send("GET", path, null).statusCode();
        while (status != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = api.send("GET", path, null).statusCode();
        }
        return status;
    }

    /** The value of a sample of the Prometheus text, 0 when it is not there yet. */
    private static double value(String scrape, String sample) {
        Matcher line = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
