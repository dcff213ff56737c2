package dev.allocation.adapters.redis;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.LogText;
import dev.allocation.domain.Refusal;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.wire.ChangeBatchQuantityMessage;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.Range;
import io.lettuce.core.Limit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@value RedisBroker#CHANGE_BATCH_QUANTITY} as a Redis stream, in the consumer group
 * {@value #GROUP}: each entry {@code batchref, qty} is handled as a {@link ChangeBatchQuantity}, and
 * acknowledged only once its unit of work committed, so that an entry whose consumer died stays pending
 * for another to claim. Entries are handled one at a time, in stream order.
 *
 * <ul>
 *   <li>At start it claims every entry left pending by any consumer, since it runs as the only consumer
 *       among the instances (under their exclusive right), then every {@link #CLAIM_EVERY} those pending
 *       on another consumer for longer than {@code claimIdle}.</li>
 *   <li>An entry the service refuses (malformed by the HTTP edge's rules, not UTF-8 included, or an
 *       unknown batch) is appended to {@value #DEAD_STREAM} with its fields, byte for byte, then
 *       {@code error} and {@code entry_id}, and acknowledged.</li>
 *   <li>An entry that fails for another reason (storage unavailable) is left pending and read again,
 *       after a growing pause, before any later entry; after {@value #MAX_DELIVERIES} deliveries it
 *       goes to {@value #DEAD_STREAM} too.</li>
 * </ul>
 * Handling an entry twice changes nothing the second time: it sets a quantity.
 */
final class RedisStreamConsumer implements AutoCloseable {

    /** The consumer group every instance reads in. */
    static final String GROUP = "allocation";

    /** Where refused entries go, with the reason. */
    static final String DEAD_STREAM = RedisBroker.CHANGE_BATCH_QUANTITY + ".dead";

    /** Deliveries after which an entry that keeps failing goes to the dead stream. */
    static final int MAX_DELIVERIES = 20;

    private static final String STREAM = RedisBroker.CHANGE_BATCH_QUANTITY;
    private static final byte[] STREAM_KEY = bytes(STREAM);
    private static final byte[] GROUP_NAME = bytes(GROUP);
    private static final byte[] DEAD_STREAM_KEY = bytes(DEAD_STREAM);
    private static final Duration CLAIM_EVERY = Duration.ofSeconds(5);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);
    private static final int COUNT = 16;
    private static final Logger log = LoggerFactory.getLogger(RedisStreamConsumer.class);

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final AllocationUseCases useCases;
    private final Consumer<byte[]> me;
    private final Duration claimIdle;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param connection with {@link RawBytesCodec}: entries are checked, never decoded with replacements */
    RedisStreamConsumer(StatefulRedisConnection<byte[], byte[]> connection, AllocationUseCases useCases,
                        String consumerName, Duration claimIdle) {
        this.connection = connection;
        this.useCases = useCases;
        this.me = Consumer.from(GROUP_NAME, bytes(consumerName));
        this.claimIdle = claimIdle;
        this.thread = new Thread(this::run, "allocation-redis-stream-consumer");
        this.thread.start();
    }

    private void run() {
        RedisCommands<byte[], byte[]> redis = connection.sync();
        Instant nextClaim = Instant.MIN;
        Duration idleToClaim = Duration.ZERO;   // at start: everything pending, on any consumer
        int failures = 0;
        while (running) {
            try {
                if (Instant.now().isAfter(nextClaim)) {
                    createGroupUnlessThere(redis);
                    claim(redis, idleToClaim);
                    idleToClaim = claimIdle;
                    nextClaim = Instant.now().plus(CLAIM_EVERY);
                }
                List<StreamMessage<byte[], byte[]>> entries =
                        redis.xreadgroup(me, XReadArgs.Builder.count(COUNT), StreamOffset.from(STREAM_KEY, "0"));
                if (entries.isEmpty()) {
                    entries = redis.xreadgroup(me, XReadArgs.Builder.count(COUNT).block(Duration.ofSeconds(1)),
                            StreamOffset.lastConsumed(STREAM_KEY));
                }
                boolean allHandled = true;
                for (StreamMessage<byte[], byte[]> entry : entries) {
                    if (!running || !handle(redis, entry)) {
                        allHandled = false;
                        break;
                    }
                }
                failures = allHandled ? 0 : failures + 1;
                if (!allHandled && running) {
                    pause(failures);
                }
            } catch (RuntimeException e) {
                failures++;
                log.warn("Reading {} failed; trying again: {}", STREAM, LogText.escape(e.toString()));
                pause(failures);
            }
        }
    }

    /** True when the entry is done with (handled or dead, and acknowledged); false to read it again later. */
    private boolean handle(RedisCommands<byte[], byte[]> redis, StreamMessage<byte[], byte[]> entry) {
        if (entry.getBody() == null || entry.getBody().isEmpty()) {   // XADD needs a field: XDEL took them
            return bury(redis, entry, "deleted from " + STREAM + " before it was handled");
        }
        ChangeBatchQuantity command;
        try {
            command = ChangeBatchQuantityMessage.fromFields(List.copyOf(entry.getBody().entrySet()));
        } catch (IllegalArgumentException e) {
            return bury(redis, entry, "malformed: " + e.getMessage());
        }
        try {
            useCases.handle(command);
        } catch (Refusal e) {
            return bury(redis, entry, e.getMessage());
        } catch (RuntimeException e) {
            long deliveries = deliveries(redis, entry.getId());
            if (deliveries >= MAX_DELIVERIES) {
                return bury(redis, entry, "failed " + deliveries + " times, last: " + e);
            }
            log.warn("Handling {} entry {} failed (delivery {} of {}); it stays pending: {}", STREAM, entry.getId(),
                    deliveries, MAX_DELIVERIES, LogText.escape(e.toString()));
            return false;
        }
        redis.xack(STREAM_KEY, GROUP_NAME, entry.getId());
        log.info("Handled {} from {} entry {}", LogText.escape(command.toString()), STREAM, entry.getId());
        return true;
    }

    /**
     * Appends the entry to the dead stream, its fields byte for byte and in their order, then {@code error}
     * and {@code entry_id}; then acknowledges it.
     */
    private boolean bury(RedisCommands<byte[], byte[]> redis, StreamMessage<byte[], byte[]> entry, String error) {
        List<byte[]> fields = new ArrayList<>();
        (entry.getBody() == null ? Map.<byte[], byte[]>of() : entry.getBody()).forEach((name, value) -> {
            fields.add(name);
            fields.add(value);
        });
        fields.addAll(List.of(bytes("error"), bytes(error), bytes("entry_id"), bytes(entry.getId())));
        redis.xadd(DEAD_STREAM_KEY, XAddArgs.Builder.maxlen(RedisEventPublisher.STREAM_LENGTH).approximateTrimming(),
                fields.toArray());
        redis.xack(STREAM_KEY, GROUP_NAME, entry.getId());
        log.warn("Refused {} entry {}, moved to {}: {}", STREAM, entry.getId(), DEAD_STREAM, LogText.escape(error));
        return true;
    }

    private long deliveries(RedisCommands<byte[], byte[]> redis, String id) {
        List<PendingMessage> pending = redis.xpending(STREAM_KEY, me, Range.create(id, id), Limit.from(1));
        return pending.isEmpty() ? 1 : pending.get(0).getRedeliveryCount();
    }

    /** Takes over the entries pending on other consumers for at least {@code minIdle}. */
    private void claim(RedisCommands<byte[], byte[]> redis, Duration minIdle) {
        String cursor = "0-0";
        int claimed = 0;
        do {
            ClaimedMessages<byte[], byte[]> result = redis.xautoclaim(STREAM_KEY,
                    XAutoClaimArgs.Builder.xautoclaim(me, minIdle, cursor).count(100).justid());
            claimed += result.getMessages().size();
            cursor = result.getId();
        } while (running && !"0-0".equals(cursor));
        if (claimed > 0) {
            log.info("Claimed {} pending {} entries from other consumers", claimed, STREAM);
        }
    }

    private static void createGroupUnlessThere(RedisCommands<byte[], byte[]> redis) {
        try {
            redis.xgroupCreate(StreamOffset.from(STREAM_KEY, "0"), GROUP_NAME, XGroupCreateArgs.Builder.mkstream());
            log.info("Created the consumer group {} on {}", GROUP, STREAM);
        } catch (RedisBusyException e) {
            // BUSYGROUP: it exists already
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void pause(int failures) {
        long millis = Math.min(LONGEST_PAUSE.toMillis(), 250L << Math.min(failures - 1, 10));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops reading; the entry being handled finishes first (within a few seconds). Idempotent. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
