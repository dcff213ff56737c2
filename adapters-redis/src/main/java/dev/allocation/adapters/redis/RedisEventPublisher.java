package dev.allocation.adapters.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The book's redis_eventpublisher: every {@link Allocated} goes to Redis twice, under the name
 * {@value RedisBroker#LINE_ALLOCATED}. It is published on that pub/sub channel as
 * {@code {"orderid","sku","qty","batchref"}}, as the reference service does, and appended to that
 * stream with the fields {@code orderid, sku, qty, batchref, event_id}, for consumers that must not miss
 * one. Other events stay inside the service and are ignored here. A publish that Redis does not
 * acknowledge in time throws, for the outbox relay to retry. Thread-safe.
 */
public final class RedisEventPublisher implements EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(RedisEventPublisher.class);

    /** Roughly how many entries the stream keeps; older ones are trimmed, so that Redis memory stays bounded. */
    public static final long STREAM_LENGTH = 1_000_000;

    private final StatefulRedisConnection<String, String> connection;
    private final ObjectMapper mapper = new ObjectMapper();

    RedisEventPublisher(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    /** Publishes the event under a new id; the outbox relay gives each event its own, kept across retries. */
    @Override
    public void publish(Event event) {
        publish(UUID.randomUUID().toString(), event);
    }

    @Override
    public void publish(String eventId, Event event) {
        Objects.requireNonNull(eventId, "eventId must not be null");
        Objects.requireNonNull(event, "event must not be null");
        if (!(event instanceof Allocated allocated)) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("orderid", allocated.orderId());
        fields.put("sku", allocated.sku());
        fields.put("qty", String.valueOf(allocated.qty()));
        fields.put("batchref", allocated.batchRef());
        fields.put("event_id", eventId);
        String message = mapper.createObjectNode().put("orderid", allocated.orderId()).put("sku", allocated.sku())
                .put("qty", allocated.qty()).put("batchref", allocated.batchRef()).toString();
        RedisAsyncCommands<String, String> redis = connection.async();
        RedisFuture<String> appended = redis.xadd(RedisBroker.LINE_ALLOCATED,
                XAddArgs.Builder.maxlen(STREAM_LENGTH).approximateTrimming(), fields);
        RedisFuture<Long> published = redis.publish(RedisBroker.LINE_ALLOCATED, message);
        // both are on their way: waiting for one, then the other, costs one round trip
        long timeout = RedisBroker.TIMEOUT.toMillis();
        String entry = LettuceFutures.awaitOrCancel(appended, timeout, TimeUnit.MILLISECONDS);
        Long receivers = LettuceFutures.awaitOrCancel(published, timeout, TimeUnit.MILLISECONDS);
        log.debug("Published {} as {} (stream entry {}, {} subscriber(s))", allocated, eventId, entry, receivers);
    }
}
