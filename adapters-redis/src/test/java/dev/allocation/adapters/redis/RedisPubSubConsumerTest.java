package dev.allocation.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.LocalRedis;
import dev.allocation.testing.RedisPerTest;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consumer against the local Redis server, fed by a publisher of the tests' own. The channel is the
 * whole server's: the use cases record this test's batch refs alone.
 */
class RedisPubSubConsumerTest {

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();
    private final RecordingUseCases useCases = RecordingUseCases.ownRefsOnly();
    private LocalRedis redis;

    @BeforeEach
    void connect() {
        redis = redisPerTest.local();
        redisPerTest.closing(RedisBroker.connect(redis.url)).subscribe(useCases);
    }

    @Test
    void a_message_on_change_batch_quantity_changes_the_batch_quantity() throws InterruptedException {
        String ref = useCases.ref("batch");

        redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\": \"" + ref + "\", \"qty\": 5}");

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity(ref, 5));
    }

    @Test
    void malformed_and_refused_messages_are_skipped_and_the_consumer_goes_on() throws InterruptedException {
        String known = useCases.ref("batch");   // a batch of this test's: a message about it that got through would show
        List<String> bad = List.of("not json", "[1, 2]", "{\"batchref\": 1, \"qty\": 5}", "{\"batchref\": \"b\"}",
                "{\"batchref\": \"b\", \"qty\": -1}", "{\"qty\": 5}", "{\"batchref\": \" \", \"qty\": 1}",
                "{\"batchref\": \"" + useCases.ref("unknown") + "\", \"qty\": 1}", "",
                "{\"batchref\": \"" + known + "\", \"qty\": 1, \"qty\": 2}");
        List<String> badQuantities = List.of("\"5\"", "\" 60\"", "1.5", "60.0", "6e1", "060", "+60", "0x3C", "3000000000",
                "null", "true", "[60]");
        for (String message : bad) {
            redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, message);
        }
        for (String qty : badQuantities) {
            redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\": \"" + known + "\", \"qty\": " + qty + "}");
        }
        String ref = useCases.ref("batch");

        redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\": \"" + ref + "\", \"qty\": 0, \"extra\": true}");

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity(ref, 0));
        assertThat(useCases.handled).isEmpty();
    }

    @Test
    void a_message_that_is_not_utf8_is_skipped_instead_of_read_with_replacement_characters() throws InterruptedException {
        String ref = useCases.ref("batch");
        useCases.own(ref + "\uFFFD(");   // what a lenient decoder makes of C3 28
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(("{\"batchref\": \"" + ref).getBytes(StandardCharsets.UTF_8));
        message.writeBytes(new byte[] {(byte) 0xC3, 0x28});
        message.writeBytes("\", \"qty\": 1}".getBytes(StandardCharsets.UTF_8));
        redis.bytes().publish(RedisBroker.CHANGE_BATCH_QUANTITY.getBytes(StandardCharsets.UTF_8), message.toByteArray());

        redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\": \"" + ref + "\", \"qty\": 2}");

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity(ref, 2));
    }

    @Test
    void the_changes_of_one_batch_are_handled_in_the_order_they_were_sent() throws InterruptedException {
        String ref = useCases.ref("batch");

        for (int qty = 1; qty <= 50; qty++) {
            redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\": \"" + ref + "\", \"qty\": " + qty + "}");
        }

        for (int qty = 1; qty <= 50; qty++) {
            assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity(ref, qty));
        }
    }

    @Test
    void a_long_change_of_one_batch_does_not_hold_up_the_changes_of_another() throws InterruptedException {
        String slow = useCases.ref("slow");
        String fast = useCases.ref("fast");
        while (Math.floorMod(fast.hashCode(), RedisPubSubConsumer.LANES) == Math.floorMod(slow.hashCode(), RedisPubSubConsumer.LANES)) {
            fast = useCases.ref("fast");
        }

        redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\": \"" + slow + "\", \"qty\": 1}");
        redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\": \"" + fast + "\", \"qty\": 2}");

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity(fast, 2));
        useCases.slow.countDown();
        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity(slow, 1));
    }

    @Test
    void the_consumer_subscribes_again_when_its_connection_is_killed() throws InterruptedException {
        redis.killPubSubClients();
        String ref = useCases.ref("batch");

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (redis.publish(RedisBroker.CHANGE_BATCH_QUANTITY, "{\"batchref\": \"" + ref + "\", \"qty\": 7}") == 0) {
            assertThat(System.nanoTime()).as("resubscribed within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity(ref, 7));
    }

    private Message nextHandled() throws InterruptedException {
        Message message = useCases.handled.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("a handled message").isNotNull();
        return message;
    }

}
