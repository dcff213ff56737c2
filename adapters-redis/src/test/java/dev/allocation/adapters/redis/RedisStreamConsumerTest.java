package dev.allocation.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.LocalRedis;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream consumer against the local Redis server ({@link LocalRedis}: a database of its own, as
 * the stream names are the contract's), fed and inspected by a client of the test's own.
 */
class RedisStreamConsumerTest {

    private static final String STREAM = RedisBroker.CHANGE_BATCH_QUANTITY;

    private final RecordingUseCases useCases = new RecordingUseCases();
    private LocalRedis local;
    private RedisCommands<String, String> redis;
    private RedisBroker broker;

    @BeforeEach
    void connect() {
        LocalRedis.requireRunning();
        local = new LocalRedis();
        redis = local.commands();
        broker = RedisBroker.connect(local.url);
    }

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    void entries_added_while_no_consumer_runs_are_handled_in_order_at_start_and_acknowledged() throws Exception {
        redis.xadd(STREAM, Map.of("batchref", "b1", "qty", "10"));
        redis.xadd(STREAM, Map.of("batchref", "b1", "qty", "5"));

        broker.consumeStream(useCases, Duration.ofSeconds(30));

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b1", 10));
        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b1", 5));
        awaitNothingPending();
    }

    @Test
    void malformed_and_refused_entries_go_to_the_dead_stream_with_the_reason_and_the_consumer_goes_on()
            throws Exception {
        broker.consumeStream(useCases, Duration.ofSeconds(30));
        redis.xadd(STREAM, Map.of("batchref", "b1"));
        redis.xadd(STREAM, Map.of("batchref", "b1", "qty", "many"));
        redis.xadd(STREAM, Map.of("batchref", "unknown-batch", "qty", "1"));
        redis.xadd(STREAM, Map.of("batchref", "b2", "qty", "3"));

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b2", 3));
        List<StreamMessage<String, String>> dead = redis.xrange(RedisStreamConsumer.DEAD_STREAM,
                io.lettuce.core.Range.create("-", "+"));
        assertThat(dead).hasSize(3);
        assertThat(dead.get(0).getBody()).containsEntry("batchref", "b1").containsKey("error");
        assertThat(dead.get(1).getBody().get("error")).contains("qty must be a whole number");
        assertThat(dead.get(2).getBody()).containsEntry("batchref", "unknown-batch").containsEntry("qty", "1");
        assertThat(dead.get(2).getBody().get("error")).contains("unknown-batch");
        awaitNothingPending();
    }

    @Test
    void an_entry_that_finds_storage_unavailable_stays_pending_and_is_handled_once_storage_is_back()
            throws Exception {
        broker.consumeStream(useCases, Duration.ofSeconds(30));
        redis.xadd(STREAM, Map.of("batchref", "flaky-batch", "qty", "7"));
        redis.xadd(STREAM, Map.of("batchref", "b3", "qty", "1"));

        assertThat(nextHandled()).as("the first, after two outages").isEqualTo(new ChangeBatchQuantity("flaky-batch", 7));
        assertThat(nextHandled()).as("then the next, in order").isEqualTo(new ChangeBatchQuantity("b3", 1));
        assertThat(redis.xlen(RedisStreamConsumer.DEAD_STREAM)).isZero();
        awaitNothingPending();
    }

    @Test
    void entries_left_pending_by_a_consumer_that_died_are_claimed_at_start() throws Exception {
        redis.xgroupCreate(StreamOffset.from(STREAM, "0"), RedisStreamConsumer.GROUP, XGroupCreateArgs.Builder.mkstream());
        redis.xadd(STREAM, Map.of("batchref", "b4", "qty", "2"));
        List<StreamMessage<String, String>> takenByTheDead = redis.xreadgroup(
                Consumer.from(RedisStreamConsumer.GROUP, "died-mid-command"), XReadArgs.Builder.count(10),
                StreamOffset.lastConsumed(STREAM));
        assertThat(takenByTheDead).hasSize(1);

        broker.consumeStream(useCases, Duration.ofSeconds(30));

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b4", 2));
        awaitNothingPending();
    }

    private Message nextHandled() throws InterruptedException {
        Message message = useCases.handled.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("a message handled within 10 s").isNotNull();
        return message;
    }

    private void awaitNothingPending() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (redis.xpending(STREAM, RedisStreamConsumer.GROUP).getCount() > 0) {
            assertThat(System.nanoTime()).as("every entry acknowledged within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
