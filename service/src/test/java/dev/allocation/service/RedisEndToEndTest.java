package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.testing.ApiClient;
import dev.allocation.testing.LocalRedis;
import dev.allocation.testing.RedisPerTest;
import dev.allocation.bootstrap.Bootstrap;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service with the local Redis server, as the book's {@code test_external_events.py}: a quantity
 * change sent by another system reallocates an order, and other systems hear of it, over pub/sub as
 * the reference does and over streams. Skipped when Redis is not reachable, unless {@code CI=true}.
 */
class RedisEndToEndTest {

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();
    private LocalRedis otherSystem;
    private RunningService service;
    private ApiClient api;

    @BeforeEach
    void start() {
        otherSystem = redisPerTest.local();
        service = redisPerTest.closing(RunningService.start(TestConfigs.inMemoryWithRedis(otherSystem.url),
                Bootstrap.builder()));
        api = new ApiClient(service.port());
    }

    @Test
    void a_change_of_batch_quantity_from_redis_reallocates_the_order_and_publishes_line_allocated() throws Exception {
        BlockingQueue<String> lineAllocated = otherSystem.listen("line_allocated");
        String sku = "sku-" + UUID.randomUUID();
        String earlier = "early-" + UUID.randomUUID();
        String later = "later-" + UUID.randomUUID();
        String order = "order-" + UUID.randomUUID();
        api.addBatch(earlier, sku, 10, "2011-01-01");
        api.addBatch(later, sku, 10, "2011-01-02");
        assertThat(api.allocate(order, sku, 10).statusCode()).isEqualTo(202);
        assertThat(nextAbout(lineAllocated, order))
                .isEqualTo("{\"orderid\":\"" + order + "\",\"sku\":\"" + sku + "\",\"qty\":10,\"batchref\":\"" + earlier + "\"}");

        otherSystem.publish("change_batch_quantity", "{\"batchref\": \"" + earlier + "\", \"qty\": 5}");

        assertThat(nextAbout(lineAllocated, order))
                .isEqualTo("{\"orderid\":\"" + order + "\",\"sku\":\"" + sku + "\",\"qty\":10,\"batchref\":\"" + later + "\"}");
        assertThat(api.allocations(order).body()).contains("\"batchref\":\"" + later + "\"");
    }

    @Test
    void a_change_of_batch_quantity_on_the_stream_reallocates_the_order_and_appends_line_allocated() {
        String sku = "sku-" + UUID.randomUUID();
        api.addBatch("early", sku, 10, "2011-01-01");
        api.addBatch("later", sku, 10, "2011-01-02");
        api.allocate("o1", sku, 10);

        otherSystem.commands().xadd("change_batch_quantity", Map.of("batchref", "early", "qty", "5"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lineAllocatedEntries().size() == 2);
        List<Map<String, String>> entries = lineAllocatedEntries();
        assertThat(entries.get(0)).containsEntry("orderid", "o1").containsEntry("batchref", "early");
        assertThat(entries.get(1)).containsEntry("orderid", "o1").containsEntry("sku", sku)
                .containsEntry("qty", "10").containsEntry("batchref", "later");
        assertThat(entries.get(0).get("event_id")).isNotBlank().isNotEqualTo(entries.get(1).get("event_id"));
        assertThat(otherSystem.commands().xpending("change_batch_quantity", "allocation").getCount())
                .as("the entry acknowledged once handled").isZero();
    }

    @Test
    void the_start_up_line_names_the_broker() {
        assertThat(service.description()).contains("broker: Redis " + otherSystem.url);
    }

    private List<Map<String, String>> lineAllocatedEntries() {
        return otherSystem.commands().xrange("line_allocated", Range.create("-", "+")).stream()
                .map(StreamMessage::getBody).toList();
    }

    /** The next message about this order (other tests may publish on the same server). */
    private static String nextAbout(BlockingQueue<String> received, String order) throws InterruptedException {
        while (true) {
            String message = received.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a line_allocated message about " + order).isNotNull();
            if (message.contains(order)) {
                return message;
            }
        }
    }
}
