package dev.allocation.adapters.redis;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.LogText;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Refusal;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The book's redis_eventconsumer: handles every message on {@value RedisBroker#CHANGE_BATCH_QUANTITY}
 * ({@code {"batchref","qty"}}) as a {@link ChangeBatchQuantity}.
 *
 * <p>Messages of one batch are handled one at a time, in the order they arrive; those of different
 * batches on {@value #LANES} lanes, each a thread of its own (never Redis's I/O thread), so that one long
 * reallocation does not hold the others up. A message that finds storage unavailable is tried again, in
 * its turn, for up to {@link #OUTAGE_PATIENCE}. A malformed message or one the service refuses (an unknown
 * batch) is logged and skipped: the consumer never dies of one. When Redis restarts, Lettuce reconnects
 * and subscribes again; messages published meanwhile are lost, as always with pub/sub.
 */
public final class RedisCommandConsumer implements AutoCloseable {

    /** How many batches' messages are handled at once. */
    static final int LANES = 4;

    /** Messages waiting to be handled, per lane, before new ones are dropped (and logged). */
    private static final int QUEUE_CAPACITY = 10_000;

    /** How long a message waits for storage to come back before it is given up (and logged). */
    private static final Duration OUTAGE_PATIENCE = Duration.ofSeconds(30);

    private static final String CHANNEL = RedisBroker.CHANGE_BATCH_QUANTITY;
    private static final Logger log = LoggerFactory.getLogger(RedisCommandConsumer.class);

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final AllocationUseCases useCases;
    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final List<ThreadPoolExecutor> lanes = IntStream.range(0, LANES)
            .mapToObj(lane -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                    task -> new Thread(task, "allocation-redis-consumer-" + lane)))
            .toList();
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisCommandConsumer(StatefulRedisPubSubConnection<String, String> connection, AllocationUseCases useCases) {
        this.connection = connection;
        this.useCases = useCases;
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (CHANNEL.equals(channel)) {
                    enqueue(message);
                }
            }
        });
        connection.sync().subscribe(CHANNEL);
        log.info("Subscribed to {}", CHANNEL);
    }

    /** On Redis's I/O thread: parses the message and hands it to the lane of its batch. */
    private void enqueue(String message) {
        ChangeBatchQuantity command;
        try {
            command = parse(message);
        } catch (IllegalArgumentException e) {
            log.warn("Skipped a malformed message on {}: {}: {}", CHANNEL, LogText.escape(e.getMessage()),
                    LogText.escape(message));
            return;
        }
        try {
            lanes.get(Math.floorMod(command.ref().hashCode(), LANES)).execute(() -> handle(command));
        } catch (RejectedExecutionException e) {
            log.error("Dropped a message on {}: {} messages already wait (or the consumer is closed): {}",
                    CHANNEL, QUEUE_CAPACITY, LogText.escape(message));
        }
    }

    /** {@code {"batchref": string, "qty": integer}}, strictly; other fields are ignored. */
    private ChangeBatchQuantity parse(String message) {
        JsonNode json;
        try {
            json = mapper.readTree(message);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!json.path("batchref").isString()) {
            throw new IllegalArgumentException("batchref must be a string");
        }
        JsonNode qty = json.path("qty");
        if (!qty.isIntegralNumber() || !qty.canConvertToInt()) {
            throw new IllegalArgumentException("qty must be an integer");
        }
        return new ChangeBatchQuantity(json.get("batchref").stringValue(), qty.intValue());
    }

    private void handle(ChangeBatchQuantity command) {
        try {
            handleWhileStorageComesBack(command);
            log.info("Handled {} from {}", LogText.escape(command.toString()), CHANNEL);
        } catch (Refusal e) {
            log.warn("Skipped a message on {}: {}", CHANNEL, LogText.escape(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("Failed to handle {} from {}; skipped", LogText.escape(command.toString()), CHANNEL, e);
        }
    }

    private void handleWhileStorageComesBack(ChangeBatchQuantity command) {
        long deadline = System.nanoTime() + OUTAGE_PATIENCE.toNanos();
        while (true) {
            try {
                useCases.handle(command);
                return;
            } catch (StorageUnavailable e) {
                if (closed.get() || System.nanoTime() > deadline) {
                    throw e;
                }
                log.warn("Storage unavailable for {}; trying again: {}", LogText.escape(command.toString()),
                        LogText.escape(e.getMessage()));
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Unsubscribes, handles the messages already received for up to 5 s, drops the rest. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            connection.close();
        } finally {
            lanes.forEach(ThreadPoolExecutor::shutdown);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            try {
                for (ThreadPoolExecutor lane : lanes) {
                    lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lanes.forEach(ThreadPoolExecutor::shutdownNow);   // drops what is left
        }
    }
}
