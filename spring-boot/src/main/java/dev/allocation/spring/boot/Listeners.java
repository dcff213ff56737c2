package dev.allocation.spring.boot;

import dev.allocation.application.MessageBusListener;
import dev.allocation.domain.Message;
import dev.allocation.domain.events.Event;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every {@link MessageBusListener} bean of the application (the meters among them) heard as one. */
final class Listeners implements MessageBusListener {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<MessageBusListener> listeners;

    private Listeners(List<MessageBusListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    static MessageBusListener of(List<MessageBusListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> MessageBusListener.NONE;
            case 1 -> listeners.get(0);
            default -> new Listeners(listeners);
        };
    }

    @Override
    public void handled(Message message, Outcome outcome, Duration duration) {
        each(listener -> listener.handled(message, outcome, duration));
    }

    @Override
    public void conflictRetried(Message message, int attempt) {
        each(listener -> listener.conflictRetried(message, attempt));
    }

    @Override
    public void contentionExhausted(Message message, int attempts) {
        each(listener -> listener.contentionExhausted(message, attempts));
    }

    @Override
    public void eventHandlerFailed(Event event, RuntimeException failure, boolean givenUp) {
        each(listener -> listener.eventHandlerFailed(event, failure, givenUp));
    }

    /** Tells each listener, one that throws not keeping the others from hearing it. */
    private void each(Consumer<MessageBusListener> call) {
        for (MessageBusListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Message bus listener {} failed: {}", listener, e.toString());
            }
        }
    }
}
