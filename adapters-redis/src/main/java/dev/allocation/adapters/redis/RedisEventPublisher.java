package dev.allocation.adapters.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the service's integration events to Redis, as the reference service: every
 * {@link Allocated} on {@value RedisBroker#LINE_ALLOCATED} as {@code {"orderid","sku","qty","batchref"}}.
 * Other events stay inside the service (the reference publishes none of them) and are ignored here.
 * A publish that Redis does not acknowledge in time throws, so the message bus logs and retries it;
 * it never fails the command that raised the event. Thread-safe.
 */
public final class RedisEventPublisher implements EventPublisher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisEventPublisher.class);

    private final StatefulRedisConnection<String, String> connection;
    private final ObjectMapper mapper = new ObjectMapper();

    RedisEventPublisher(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    @Override
    public void publish(Event event) {
        Objects.requireNonNull(event, "event must not be null");
        if (event instanceof Allocated allocated) {
            long receivers = connection.sync().publish(RedisBroker.LINE_ALLOCATED, json(allocated));
            log.debug("Published {} on {} to {} subscriber(s)", allocated, RedisBroker.LINE_ALLOCATED, receivers);
        } else {
            log.trace("Not an integration event, not published: {}", event);
        }
    }

    /** The reference service's message: {@code {"orderid","sku","qty","batchref"}}. */
    String json(Allocated allocated) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("orderid", allocated.orderId());
        message.put("sku", allocated.sku());
        message.put("qty", allocated.qty());
        message.put("batchref", allocated.batchRef());
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes its connection; done by {@link RedisBroker#close()}. */
    @Override
    public void close() {
        connection.close();
    }
}
