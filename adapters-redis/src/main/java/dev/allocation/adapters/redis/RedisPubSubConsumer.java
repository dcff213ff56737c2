package dev.allocation.adapters.redis;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.LogText;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Refusal;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.wire.ChangeBatchQuantityMessage;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The book's redis_eventconsumer: handles every message on {@value RedisBroker#CHANGE_BATCH_QUANTITY}
 * ({@code {"batchref","qty"}}) as a {@link ChangeBatchQuantity}.
 *
 * <p>Messages of one batch are handled one at a time, in the order they arrive; those of different
 * batches on {@value #LANES} lanes, each a thread of its own (never Redis's I/O thread), so that one long
 * reallocation does not hold the others up. A message that finds storage unavailable is tried again, in
 * its turn, for up to {@link #OUTAGE_PATIENCE}. A malformed message (not UTF-8, not JSON, a field
 * missing or of the wrong type, by the HTTP edge's rules) or one the service refuses (an unknown batch)
 * is logged and skipped: the consumer never dies of one. When Redis restarts, Lettuce reconnects and
 * subscribes again; messages published meanwhile are lost, as always with pub/sub.
 */
public final class RedisPubSubConsumer implements AutoCloseable {

    /** How many batches' messages are handled at once. */
    static final int LANES = 4;

    /** Messages waiting to be handled, per lane, before new ones are dropped (and logged). */
    private static final int QUEUE_CAPACITY = 10_000;

    /** How long a message waits for storage to come back before it is given up (and logged). */
    private static final Duration OUTAGE_PATIENCE = Duration.ofSeconds(30);

    private static final String CHANNEL = RedisBroker.CHANGE_BATCH_QUANTITY;
    private static final Logger log = LoggerFactory.getLogger(RedisPubSubConsumer.class);

    private static final byte[] CHANNEL_NAME = CHANNEL.getBytes(StandardCharsets.UTF_8);

    private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private final AllocationUseCases useCases;
    private final List<ThreadPoolExecutor> lanes = IntStream.range(0, LANES)
            .mapToObj(lane -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                    task -> new Thread(task, "allocation-redis-consumer-" + lane)))
            .toList();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param connection with a byte-array codec: a message is checked to be UTF-8, never decoded with replacements */
    RedisPubSubConsumer(StatefulRedisPubSubConnection<byte[], byte[]> connection, AllocationUseCases useCases) {
        this.connection = connection;
        this.useCases = useCases;
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                if (Arrays.equals(CHANNEL_NAME, channel)) {
                    enqueue(message);
                }
            }
        });
        connection.sync().subscribe(CHANNEL_NAME);
        log.info("Subscribed to {}", CHANNEL);
    }

    /** On Redis's I/O thread: parses the message and hands it to the lane of its batch. */
    private void enqueue(byte[] message) {
        ChangeBatchQuantity command;
        try {
            command = ChangeBatchQuantityMessage.fromJson(message, "message");
        } catch (IllegalArgumentException e) {
            log.warn("Skipped a malformed message on {}: {}: {}", CHANNEL, LogText.escape(e.getMessage()),
                    LogText.escape(new String(message, StandardCharsets.UTF_8)));
            return;
        }
        try {
            lanes.get(Math.floorMod(command.ref().hashCode(), LANES)).execute(() -> handle(command));
        } catch (RejectedExecutionException e) {
            log.error("Dropped a message on {}: {} messages already wait (or the consumer is closed): {}",
                    CHANNEL, QUEUE_CAPACITY, LogText.escape(command.toString()));
        }
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
