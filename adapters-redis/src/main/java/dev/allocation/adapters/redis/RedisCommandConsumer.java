package dev.allocation.adapters.redis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.LogText;
import dev.allocation.domain.Refusal;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import dev.allocation.application.port.StorageUnavailable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles every message on {@value RedisBroker#CHANGE_BATCH_QUANTITY} ({@code {"batchref","qty"}}) as a
 * {@link ChangeBatchQuantity}. Messages of one batch are handled one at a time, in the order they arrive;
 * messages of different batches on {@value #LANES} lanes, so that one long reallocation does not hold
 * the others up (each lane a thread of its own, never Redis's I/O thread). A message that finds storage
 * unavailable is tried again, in its turn, for up to {@link #OUTAGE_PATIENCE}. A malformed message, an invalid value or a command
 * the service refuses (an unknown batch) is logged and skipped: the consumer never dies of one. What a
 * log line takes from a message is escaped and bounded ({@link LogText}), so that no message can forge a
 * line or flood the log. When Redis restarts, Lettuce reconnects and subscribes again; messages
 * published meanwhile are lost, as always with pub/sub.
 */
public final class RedisCommandConsumer implements AutoCloseable {

    /** Messages waiting to be handled, per lane, before new ones are dropped (and logged). */
    static final int QUEUE_CAPACITY = 10_000;

    /** How many batches' messages are handled at once. */
    static final int LANES = 4;

    /** How long a message waits for storage to come back before it is given up (and logged). */
    static final Duration OUTAGE_PATIENCE = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(RedisCommandConsumer.class);

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final AllocationUseCases useCases;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final List<ThreadPoolExecutor> lanes = IntStream.range(0, LANES)
            .mapToObj(lane -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<Runnable>(QUEUE_CAPACITY),
                    runnable -> new Thread(runnable, "allocation-redis-consumer-" + lane)))
            .toList();
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisCommandConsumer(StatefulRedisPubSubConnection<String, String> connection, AllocationUseCases useCases) {
        this.connection = connection;
        this.useCases = useCases;
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (RedisBroker.CHANGE_BATCH_QUANTITY.equals(channel)) {
                    enqueue(message);
                }
            }
        });
        connection.sync().subscribe(RedisBroker.CHANGE_BATCH_QUANTITY);
        log.info("Subscribed to {}", RedisBroker.CHANGE_BATCH_QUANTITY);
    }

    private void enqueue(String message) {
        Optional<ChangeBatchQuantity> command = parseOrSkip(message);
        if (command.isEmpty()) {
            return;
        }
        try {
            lanes.get(Math.floorMod(command.get().ref().hashCode(), LANES)).execute(() -> handle(command.get()));
        } catch (RejectedExecutionException e) {
            log.error("Dropped a message on {}: {} messages already wait (or the consumer is closed): {}",
                    RedisBroker.CHANGE_BATCH_QUANTITY, QUEUE_CAPACITY, LogText.escape(message));
        }
    }

    /** Handles one message, on the calling thread; never throws. */
    void handle(String message) {
        parseOrSkip(message).ifPresent(this::handle);
    }

    private Optional<ChangeBatchQuantity> parseOrSkip(String message) {
        try {
            return Optional.of(parse(message));
        } catch (MalformedMessage e) {
            log.warn("Skipped a malformed message on {}: {}: {}", RedisBroker.CHANGE_BATCH_QUANTITY,
                    LogText.escape(e.getMessage()), LogText.escape(message));
            return Optional.empty();
        }
    }

    private void handle(ChangeBatchQuantity command) {
        try {
            handleWhileStorageComesBack(command);
            log.info("Handled {} from {}", LogText.escape(command.toString()), RedisBroker.CHANGE_BATCH_QUANTITY);
        } catch (Refusal e) {
            log.warn("Skipped a message on {}: {}", RedisBroker.CHANGE_BATCH_QUANTITY, LogText.escape(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("Failed to handle {} from {}; skipped", LogText.escape(command.toString()),
                    RedisBroker.CHANGE_BATCH_QUANTITY, e);
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

    /** {@code {"batchref": string, "qty": integer}}, strictly; other fields are ignored. */
    ChangeBatchQuantity parse(String message) {
        JsonNode json;
        try {
            json = mapper.readTree(message);
        } catch (JsonProcessingException e) {
            throw new MalformedMessage("not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new MalformedMessage("not a JSON object");
        }
        JsonNode ref = json.get("batchref");
        if (ref == null || !ref.isTextual()) {
            throw new MalformedMessage("batchref must be a string");
        }
        JsonNode qty = json.get("qty");
        if (qty == null || !qty.isIntegralNumber() || !qty.canConvertToInt()) {
            throw new MalformedMessage("qty must be an integer");
        }
        try {
            return new ChangeBatchQuantity(ref.textValue(), qty.intValue());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedMessage(e.getMessage());
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
                    if (!lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        lane.shutdownNow();
                    }
                }
            } catch (InterruptedException e) {
                lanes.forEach(ThreadPoolExecutor::shutdownNow);
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A message that is no {@code {"batchref","qty"}}. */
    static final class MalformedMessage extends RuntimeException {

        private static final long serialVersionUID = 1L;

        MalformedMessage(String message) {
            super(message, null, false, false);
        }
    }
}
