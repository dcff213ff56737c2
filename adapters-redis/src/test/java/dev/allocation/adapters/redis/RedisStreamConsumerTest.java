package dev.allocation.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.LocalRedis;
import dev.allocation.testing.RedisPerTest;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stream consumer against the local Redis server ({@link LocalRedis}: a database of its own, as
 * the stream names are the contract's), fed and inspected by a client of the test's own.
 */
class RedisStreamConsumerTest {

    private static final String STREAM = RedisBroker.CHANGE_BATCH_QUANTITY;

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();
    private final RecordingUseCases useCases = new RecordingUseCases();
    private LocalRedis local;
    private RedisCommands<String, String> redis;
    private RedisBroker broker;

    @BeforeEach
    void connect() {
        local = redisPerTest.local();
        redis = local.commands();
        broker = redisPerTest.closing(RedisBroker.connect(local.url));
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
        assertThat(dead.get(1).getBody().get("error")).contains("qty must be an integer");
        assertThat(dead.get(2).getBody()).containsEntry("batchref", "unknown-batch").containsEntry("qty", "1");
        assertThat(dead.get(2).getBody().get("error")).contains("unknown-batch");
        awaitNothingPending();
    }

    @Test
    void a_quantity_is_taken_only_in_the_form_http_takes_and_any_other_goes_to_the_dead_stream() throws Exception {
        List<String> refused = List.of(" 60", "60 ", "+60", "060", "6e1", "60.0", "0x3C", "", "\u0666\u0660",
                "3000000000", "-1", "60\n", "1,000");
        broker.consumeStream(useCases, Duration.ofSeconds(30));
        for (String qty : refused) {
            redis.xadd(STREAM, Map.of("batchref", "b1", "qty", qty));
        }
        redis.xadd(STREAM, Map.of("batchref", "b2", "qty", "60"));

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b2", 60));
        List<StreamMessage<String, String>> dead = redis.xrange(RedisStreamConsumer.DEAD_STREAM,
                io.lettuce.core.Range.create("-", "+"));
        assertThat(dead).extracting(entry -> entry.getBody().get("qty")).containsExactlyElementsOf(refused);
        assertThat(dead).allSatisfy(entry -> assertThat(entry.getBody().get("error")).startsWith("malformed: qty "));
        assertThat(useCases.handled).isEmpty();
    }

    @Test
    void a_dead_entry_keeps_the_refused_entrys_fields_byte_for_byte_and_says_what_was_wrong() throws Exception {
        List<byte[]> notUtf8Batchref = List.of(utf8("batchref"), bytes(0xC3, 0x28), utf8("qty"), utf8("1"));
        List<byte[]> notUtf8FieldName = List.of(utf8("batchref"), utf8("b1"), bytes(0xFF, 'x'), utf8("1"),
                utf8("qty"), utf8("2"));
        List<byte[]> twiceTheQuantity = List.of(utf8("batchref"), utf8("b1"), utf8("qty"), utf8("1"),
                utf8("qty"), utf8("2"));
        broker.consumeStream(useCases, Duration.ofSeconds(30));
        for (List<byte[]> fields : List.of(notUtf8Batchref, notUtf8FieldName, twiceTheQuantity)) {
            local.bytes().xadd(utf8(STREAM), fields.toArray());
        }
        redis.xadd(STREAM, Map.of("batchref", "b2", "qty", "3"));

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b2", 3));
        List<StreamMessage<byte[], byte[]>> dead = local.bytes().xrange(utf8(RedisStreamConsumer.DEAD_STREAM),
                io.lettuce.core.Range.create("-", "+"));
        assertThat(dead).hasSize(3);
        assertDeadEntry(dead.get(0), notUtf8Batchref, "malformed: batchref is not valid UTF-8 (byte 0xC3 at 0)");
        assertDeadEntry(dead.get(1), notUtf8FieldName, "malformed: field 2's name is not valid UTF-8 (byte 0xFF at 0)");
        assertDeadEntry(dead.get(2), twiceTheQuantity, "malformed: Duplicate field 'qty'");
        assertThat(useCases.handled).isEmpty();
    }

    /** The original's fields, byte for byte and in order, then {@code error} and {@code entry_id}. */
    private static void assertDeadEntry(StreamMessage<byte[], byte[]> dead, List<byte[]> original, String error) {
        List<String> fields = new ArrayList<>();
        dead.getBody().forEach((name, value) -> {
            fields.add(HexFormat.of().formatHex(name));
            fields.add(HexFormat.of().formatHex(value));
        });
        assertThat(fields.subList(0, original.size()))
                .containsExactlyElementsOf(original.stream().map(HexFormat.of()::formatHex).toList());
        assertThat(fields.subList(original.size(), fields.size())).hasSize(4);
        assertThat(new String(HexFormat.of().parseHex(fields.get(original.size())), StandardCharsets.UTF_8))
                .isEqualTo("error");
        assertThat(new String(HexFormat.of().parseHex(fields.get(original.size() + 1)), StandardCharsets.UTF_8))
                .isEqualTo(error);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
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

    @Test
    void an_entry_deleted_from_the_stream_while_it_waited_for_storage_is_set_aside_and_the_next_is_handled()
            throws Exception {
        useCases.outages.set(Integer.MAX_VALUE);   // storage never comes back for it
        broker.consumeStream(useCases, Duration.ofSeconds(30));
        String deleted = redis.xadd(STREAM, Map.of("batchref", "flaky-b5", "qty", "1"));
        awaitPending(1);
        redis.xdel(STREAM, deleted);
        redis.xadd(STREAM, Map.of("batchref", "b6", "qty", "2"));

        assertThat(nextHandled()).isEqualTo(new ChangeBatchQuantity("b6", 2));
        List<StreamMessage<String, String>> dead = redis.xrange(RedisStreamConsumer.DEAD_STREAM,
                io.lettuce.core.Range.create("-", "+"));
        assertThat(dead).extracting(StreamMessage::getBody).containsExactly(
                Map.of("error", "deleted from change_batch_quantity before it was handled", "entry_id", deleted));
        awaitNothingPending();
    }

    private void awaitPending(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pending() < count) {
            assertThat(System.nanoTime()).as(count + " entries pending within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The entries pending in the group; none while the consumer has not created the group yet. */
    private long pending() {
        try {
            return redis.xpending(STREAM, RedisStreamConsumer.GROUP).getCount();
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                return 0;
            }
            throw e;
        }
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
