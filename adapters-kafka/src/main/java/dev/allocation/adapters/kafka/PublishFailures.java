package dev.allocation.adapters.kafka;

import dev.allocation.application.outbox.PermanentPublishFailure;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Which of Kafka's failures mean that an event can never be published, for the outbox relay: those are
 * reported as {@link PermanentPublishFailure} (the event is set aside as dead at once), every other one as
 * it came (retried for as long as it lasts). Permanent are only refusals of this record:
 *
 * <ul>
 *   <li>{@link RecordTooLargeException}, {@link RecordBatchTooLargeException}: over the producer's
 *       {@code max.request.size} or the topic's {@code max.message.bytes} (too large);</li>
 *   <li>{@link InvalidTopicException}: the topic's name is refused;</li>
 *   <li>{@link AuthorizationException} (topic, cluster, ...): not authorised;</li>
 *   <li>{@link SerializationException}: the record cannot be written.</li>
 * </ul>
 *
 * Everything else is transient: a timeout (no metadata, no acknowledgement in time), not enough in-sync
 * replicas, a disconnection, an authentication that failed (a state of the connection every event meets
 * alike, put right by configuration), and every error unknown here: the event waits in the outbox,
 * visible in its backlog, rather than being lost to the dead ones.
 */
final class PublishFailures {

    private PublishFailures() {
    }

    /**
     * {@code failure} as the relay must see it: a {@link PermanentPublishFailure} with Kafka's error as its
     * cause when it is permanent, else the failure itself (out of a {@link CompletionException} or
     * {@link ExecutionException}).
     *
     * @param what what failed, for the message: {@code "event 42 to line_allocated"}
     */
    static Throwable classify(String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PermanentPublishFailure || !isPermanent(cause)) {
            return cause;
        }
        return new PermanentPublishFailure("Kafka refuses " + what + " for good: " + cause, cause);
    }

    /** Whether Kafka refused the record itself, so that sending it again can never succeed. */
    static boolean isPermanent(Throwable failure) {
        for (Throwable cause = unwrap(failure); cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                    || cause instanceof InvalidTopicException || cause instanceof AuthorizationException
                    || cause instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
