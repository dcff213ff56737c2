package dev.allocation.adapters.redis;

import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.outbox.PermanentPublishFailure;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import dev.allocation.wire.EventJson;
import io.lettuce.core.RedisException;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The book's redis_eventpublisher: every {@link Allocated} goes to Redis twice, under the name
 * {@value RedisBroker#LINE_ALLOCATED}. It is published on that pub/sub channel as
 * {@code {"orderid","sku","qty","batchref"}}, as the reference service does (the published language's
 * {@link EventJson}), and appended to that
 * stream with the fields {@code orderid, sku, qty, batchref, event_id}, for consumers that must not miss
 * one. Other events stay inside the service and are ignored here. A publish that Redis does not
 * acknowledge in time throws, for the outbox relay to retry; one Redis refuses for good (a key of another
 * type, an ACL that denies it, a value too large) throws {@link PermanentPublishFailure}, for the relay to
 * set the event aside at once. Thread-safe.
 */
public final class RedisEventPublisher implements EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(RedisEventPublisher.class);

    /** Roughly how many entries the stream keeps; older ones are trimmed, so that Redis memory stays bounded. */
    public static final long STREAM_LENGTH = 1_000_000;

    private final StatefulRedisConnection<String, String> connection;

    RedisEventPublisher(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    /** Whether Redis answers a PING on this connection within {@code timeout}; never completes exceptionally. */
    CompletableFuture<Boolean> answers(Duration timeout) {
        try {
            return connection.async().ping().toCompletableFuture()
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((pong, failure) -> "PONG".equals(pong));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /** Publishes the event under a new id; the outbox relay gives each event its own, kept across retries. */
    @Override
    public void publish(Event event) {
        publish(UUID.randomUUID().toString(), event);
    }

    /**
     * Publishes and waits for Redis.
     *
     * @throws PermanentPublishFailure when Redis refuses the event for
     *         good (see the module's README); any other exception when it may take it later
     */
    @Override
    public void publish(String eventId, Event event) {
        try {
            publishAsync(eventId, event).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new RedisException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("Interrupted while publishing " + eventId, e);
        }
    }

    /**
     * Appends and publishes without waiting: both commands go out on the shared connection at once, and
     * the stage completes when Redis acknowledged both, or fails after {@link RedisBroker#TIMEOUT}. It
     * fails with a {@link PermanentPublishFailure} (itself, not wrapped)
     * when Redis refuses either command for good, else with the first failure.
     */
    @Override
    public CompletionStage<Void> publishAsync(String eventId, Event event) {
        Objects.requireNonNull(eventId, "eventId must not be null");
        Objects.requireNonNull(event, "event must not be null");
        if (!(event instanceof Allocated allocated)) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("orderid", allocated.orderId());
        fields.put("sku", allocated.sku());
        fields.put("qty", String.valueOf(allocated.qty()));
        fields.put("batchref", allocated.batchRef());
        fields.put("event_id", eventId);
        String message = EventJson.text(allocated);
        CompletableFuture<String> appended;
        CompletableFuture<Long> published;
        try {
            RedisAsyncCommands<String, String> redis = connection.async();
            appended = redis.xadd(RedisBroker.LINE_ALLOCATED,
                    XAddArgs.Builder.maxlen(STREAM_LENGTH).approximateTrimming(), fields).toCompletableFuture();
            published = redis.publish(RedisBroker.LINE_ALLOCATED, message).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(PublishFailures.classify("event " + eventId, e));
        }
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        CompletableFuture.allOf(appended, published).whenComplete((done, any) -> {
            if (any == null) {
                log.debug("Published {} as {} (stream entry {}, {} subscriber(s))", allocated, eventId, appended.join(),
                        published.join());
                outcome.complete(null);
                return;
            }
            Throwable append = PublishFailures.classify("XADD " + RedisBroker.LINE_ALLOCATED + " of event " + eventId,
                    failure(appended));
            Throwable publish = PublishFailures.classify("PUBLISH " + RedisBroker.LINE_ALLOCATED + " of event " + eventId,
                    failure(published));
            // permanent when either can never succeed: the event can never be published whole
            outcome.completeExceptionally(append instanceof PermanentPublishFailure ? append
                    : publish instanceof PermanentPublishFailure ? publish
                    : append != null ? append : publish);
        });
        return outcome.orTimeout(RedisBroker.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How {@code command} failed, or null when it succeeded. */
    private static Throwable failure(CompletableFuture<?> command) {
        try {
            command.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return e;
        }
    }
}
