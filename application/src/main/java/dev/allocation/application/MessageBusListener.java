package dev.allocation.application;

import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Message;
import dev.allocation.domain.Refusal;
import dev.allocation.domain.events.Event;
import java.time.Duration;

/**
 * What the {@link MessageBus} tells as it works, for metrics and the like: each message handled with
 * its outcome and duration, each optimistic-concurrency conflict it retried, each command that gave up
 * on contention, each event handler that failed. Every method does nothing by default, so a listener
 * overrides what it wants. The bus calls it on the thread that handles the message: a listener must be
 * quick, and what it throws is logged and ignored, never failing a command.
 */
public interface MessageBusListener {

    /** A listener that hears nothing: the default. */
    MessageBusListener NONE = new MessageBusListener() {
    };

    /** How the handling of a message ended. */
    enum Outcome {
        /** Handled, every unit of work committed (for an event: by every handler that did not fail). */
        SUCCESS,
        /** Refused by the rules ({@link Refusal}): the caller's error, nothing changed. */
        REFUSED,
        /** Storage could not serve ({@link StorageUnavailable}) or contention outlasted the retries ({@link TooMuchContention}). */
        UNAVAILABLE,
        /** Anything else: a defect or an unexpected failure. For an event, a handler gave up. */
        FAILED;

        /** The outcome of a message whose handling threw {@code failure}. */
        public static Outcome of(Throwable failure) {
            if (failure instanceof Refusal) {
                return REFUSED;
            }
            if (failure instanceof StorageUnavailable || failure instanceof TooMuchContention) {
                return UNAVAILABLE;
            }
            return FAILED;
        }
    }

    /** {@code message} (a command, or an event with all its handlers) was handled, taking {@code duration}. */
    default void handled(Message message, Outcome outcome, Duration duration) {
    }

    /** A handler of {@code message} lost an optimistic-concurrency race and runs again ({@code attempt} failed). */
    default void conflictRetried(Message message, int attempt) {
    }

    /** {@code message} lost {@code attempts} races in a row: the caller gets {@link TooMuchContention}. */
    default void contentionExhausted(Message message, int attempts) {
    }

    /**
     * A handler of {@code event} failed; {@code givenUp} when it will not be tried again (the others
     * go on either way).
     */
    default void eventHandlerFailed(Event event, RuntimeException failure, boolean givenUp) {
    }
}
