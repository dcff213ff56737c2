package dev.allocation.adapters.redis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.LogText;
import dev.allocation.application.UnknownBatch;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles every message on {@value RedisBroker#CHANGE_BATCH_QUANTITY} ({@code {"batchref","qty"}}) as a
 * {@link ChangeBatchQuantity}. Messages are handled one at a time, in the order they arrive, on a
 * thread of its own (never on Redis's I/O thread). A malformed message, an invalid value or a command
 * the service refuses (an unknown batch) is logged and skipped: the consumer never dies of one. What a
 * log line takes from a message is escaped and bounded ({@link LogText}), so that no message can forge a
 * line or flood the log. When Redis restarts, Lettuce reconnects and subscribes again; messages
 * published meanwhile are lost, as always with pub/sub.
 */
public final class RedisCommandConsumer implements AutoCloseable {

    /** Messages waiting to be handled before new ones are dropped (and logged). */
    static final int QUEUE_CAPACITY = 10_000;

    private static final Logger log = LoggerFactory.getLogger(RedisCommandConsumer.class);

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final AllocationUseCases useCases;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY), runnable -> new Thread(runnable, "allocation-redis-consumer"));
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
        try {
            worker.execute(() -> handle(message));
        } catch (RejectedExecutionException e) {
            log.error("Dropped a message on {}: {} messages already wait (or the consumer is closed): {}",
                    RedisBroker.CHANGE_BATCH_QUANTITY, QUEUE_CAPACITY, LogText.escape(message));
        }
    }

    /** Handles one message; never throws. */
    void handle(String message) {
        ChangeBatchQuantity command;
        try {
            command = parse(message);
        } catch (MalformedMessage e) {
            log.warn("Skipped a malformed message on {}: {}: {}", RedisBroker.CHANGE_BATCH_QUANTITY,
                    LogText.escape(e.getMessage()), LogText.escape(message));
            return;
        }
        try {
            useCases.handle(command);
            log.info("Handled {} from {}", LogText.escape(command.toString()), RedisBroker.CHANGE_BATCH_QUANTITY);
        } catch (UnknownBatch e) {
            log.warn("Skipped a message on {}: {}", RedisBroker.CHANGE_BATCH_QUANTITY, LogText.escape(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("Failed to handle {} from {}; skipped", LogText.escape(command.toString()),
                    RedisBroker.CHANGE_BATCH_QUANTITY, e);
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
            worker.shutdown();
            try {
                if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                    worker.shutdownNow();
                }
            } catch (InterruptedException e) {
                worker.shutdownNow();
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
