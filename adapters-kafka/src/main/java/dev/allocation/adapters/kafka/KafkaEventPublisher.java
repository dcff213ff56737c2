package dev.allocation.adapters.kafka;

import dev.allocation.application.outbox.PermanentPublishFailure;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import dev.allocation.wire.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link Allocated} as a record on {@value KafkaBroker#LINE_ALLOCATED}: key the sku (one sku's
 * events stay in one partition, in the order the outbox relay hands them over), value
 * {@code {"orderid","sku","qty","batchref"}} as the Redis message is (the published language's {@link EventJson}), headers {@code event_id} (the same
 * for every delivery of one event) and {@code event_type} ({@code Allocated}). Other events stay inside
 * the service and are ignored here. Produced with {@code acks=all} and idempotence, by a producer whose
 * waits fit the relay's lease ({@link KafkaBroker}). A record Kafka refuses for good (too large, an
 * invalid topic, not authorised) fails with {@link PermanentPublishFailure}, for the relay to set the
 * event aside at once; every other failure as it came, for the relay to retry. Thread-safe.
 */
public final class KafkaEventPublisher implements EventPublisher {

    /** The value of the {@code event_type} header of an {@link Allocated}. */
    public static final String ALLOCATED = "Allocated";

    private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration maxBlock;
    /** Until when (System.nanoTime) a send fails at once, after one waited for the broker in vain. */
    private volatile long unreachableUntil = System.nanoTime();

    /** @param maxBlock the producer's {@code max.block.ms}: how long a send may wait for the broker's metadata */
    KafkaEventPublisher(Producer<byte[], byte[]> producer, String topic, Duration maxBlock) {
        this.producer = producer;
        this.topic = topic;
        this.maxBlock = maxBlock;
    }

    /** Publishes the event under a new id; the outbox relay gives each event its own, kept across retries. */
    @Override
    public void publish(Event event) {
        publish(UUID.randomUUID().toString(), event);
    }

    /**
     * Publishes and waits for the broker's acknowledgement (by all in-sync replicas).
     *
     * @throws PermanentPublishFailure when Kafka refuses the record for good (see the module's README); any
     *         other exception when it may take it later
     */
    @Override
    public void publish(String eventId, Event event) {
        try {
            publishAsync(eventId, event).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new KafkaException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while publishing " + eventId, e);
        }
    }

    /**
     * Sends without waiting for the acknowledgement: the stage completes when the broker acknowledged the
     * record, or fails within the producer's {@code max.block.ms} plus {@code delivery.timeout.ms}; with a
     * {@link PermanentPublishFailure} (itself, not wrapped) when Kafka refuses it for good. Once a send has
     * waited {@code max.block.ms} in vain for the broker (no metadata: the broker away), the sends of the
     * next {@code max.block.ms} fail at once, transiently, so that a relay handing over a batch of events
     * waits for an absent broker once, not once per event.
     */
    @Override
    public CompletionStage<Void> publishAsync(String eventId, Event event) {
        Objects.requireNonNull(eventId, "eventId must not be null");
        Objects.requireNonNull(event, "event must not be null");
        if (!(event instanceof Allocated allocated)) {
            return CompletableFuture.completedFuture(null);
        }
        if (System.nanoTime() - unreachableUntil < 0) {
            return CompletableFuture.failedFuture(new TimeoutException("Kafka did not answer within "
                    + maxBlock.toMillis() + " ms a moment ago; event " + eventId + " not sent to " + topic));
        }
        byte[] value = EventJson.utf8(allocated);
        List<Header> headers = List.of(new RecordHeader("event_id", utf8(eventId)), new RecordHeader("event_type", utf8(ALLOCATED)));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, utf8(allocated.sku()), value, headers);
        String what = "event " + eventId + " to " + topic;
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    log.debug("Published {} as {} ({}-{}@{})", allocated, eventId, topic, metadata.partition(), metadata.offset());
                    outcome.complete(null);
                } else {
                    outcome.completeExceptionally(PublishFailures.classify(what, failure));
                }
            });
        } catch (RuntimeException e) {   // serialisation, a closed producer, an interrupt
            return CompletableFuture.failedFuture(PublishFailures.classify(what, e));
        }
        if (outcome.isCompletedExceptionally() && outcome.handle((done, failure) -> failure).join() instanceof TimeoutException) {
            // failed within send(): it waited max.block.ms for metadata or buffer space, the broker is away
            unreachableUntil = System.nanoTime() + maxBlock.toNanos();
        }
        return outcome;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
