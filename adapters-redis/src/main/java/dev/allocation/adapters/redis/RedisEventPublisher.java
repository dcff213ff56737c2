package dev.allocation.adapters.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The book's redis_eventpublisher: publishes every {@link Allocated} on {@value RedisBroker#LINE_ALLOCATED}
 * as {@code {"orderid","sku","qty","batchref"}}, as the reference service does. Other events stay inside
 * the service and are ignored here. A publish that Redis does not acknowledge in time throws, for the
 * caller to retry. Thread-safe.
 */
public final class RedisEventPublisher implements EventPublisher {

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
            String message = mapper.createObjectNode().put("orderid", allocated.orderId()).put("sku", allocated.sku())
                    .put("qty", allocated.qty()).put("batchref", allocated.batchRef()).toString();
            long receivers = connection.sync().publish(RedisBroker.LINE_ALLOCATED, message);
            log.debug("Published {} on {} to {} subscriber(s)", allocated, RedisBroker.LINE_ALLOCATED, receivers);
        }
    }
}
