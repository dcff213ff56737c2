package dev.allocation.application;

import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.application.port.UnitOfWorkFactory;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.Command;
import dev.allocation.domain.events.Event;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The book's message bus: handles a command, then every event it leads to, each in its own unit of
 * work, before returning. A command has exactly one handler and its failure reaches the caller
 * unchanged; an event has any number of handlers, and one that fails is logged and retried a bounded
 * number of times, never failing the command. A handler whose commit loses an optimistic-concurrency
 * race runs again from the start, with backoff, until {@link TooMuchContention}; no other failure is
 * retried that way. What it does, it tells a {@link MessageBusListener}. Thread-safe.
 */
public final class MessageBus {

    private static final Logger log = LoggerFactory.getLogger(MessageBus.class);

    private final UnitOfWorkFactory unitsOfWork;
    private final Map<Class<?>, Handler<Message>> commandHandlers;
    private final Map<Class<?>, List<Handler<Message>>> eventHandlers;
    private final Retry retry;
    private final MessageBusListener listener;

    private MessageBus(Builder builder) {
        this.unitsOfWork = builder.unitsOfWork;
        this.commandHandlers = Map.copyOf(builder.commandHandlers);
        Map<Class<?>, List<Handler<Message>>> events = new HashMap<>();
        builder.eventHandlers.forEach((type, handlers) -> events.put(type, List.copyOf(handlers)));
        this.eventHandlers = Map.copyOf(events);
        this.retry = builder.retry;
        this.listener = builder.listener;
    }

    /** Starts a bus whose handlers work in units of work from {@code unitsOfWork}. */
    public static Builder builder(UnitOfWorkFactory unitsOfWork) {
        return new Builder(unitsOfWork);
    }

    /**
     * Runs the command (or event) and every event it leads to, then returns.
     *
     * @throws RuntimeException what the command's handler threw, unchanged
     */
    public void handle(Message message) {
        Objects.requireNonNull(message, "message must not be null");
        Queue<Message> queue = new ArrayDeque<>();
        if (message instanceof Command) {
            Handler<Message> handler = commandHandlers.get(message.getClass());
            if (handler == null) {
                throw new IllegalArgumentException("No handler for command " + message.getClass().getName());
            }
            log.debug("handling command {}", LogText.lazy(message));
            long started = System.nanoTime();
            try {
                runRetryingConflicts(message, handler, queue);
            } catch (RuntimeException e) {
                tellListener(() -> listener.handled(message, MessageBusListener.Outcome.of(e), since(started)));
                throw e;
            }
            tellListener(() -> listener.handled(message, MessageBusListener.Outcome.SUCCESS, since(started)));
        } else if (message instanceof Event) {
            queue.add(message);
        } else {
            throw new IllegalArgumentException("Not a command nor an event: " + message);
        }
        while (!queue.isEmpty()) {
            handleEvent((Event) queue.remove(), queue);
        }
    }

    private void handleEvent(Event event, Queue<Message> queue) {
        long started = System.nanoTime();
        MessageBusListener.Outcome outcome = MessageBusListener.Outcome.SUCCESS;
        for (Handler<Message> handler : eventHandlers.getOrDefault(event.getClass(), List.of())) {
            for (int attempt = 1; ; attempt++) {
                try {
                    log.debug("handling event {} with {}", LogText.lazy(event), handler);
                    runRetryingConflicts(event, handler, queue);
                    break;
                } catch (RuntimeException e) {
                    boolean givenUp = attempt >= retry.eventAttempts();
                    tellListener(() -> listener.eventHandlerFailed(event, e, givenUp));
                    if (givenUp) {
                        log.error("Gave up handling event {} with {} after {} attempts",
                                LogText.lazy(event), handler, attempt, e);
                        outcome = MessageBusListener.Outcome.FAILED;
                        break;
                    }
                    log.warn("Handling event {} with {} failed (attempt {} of {}): {}",
                            LogText.lazy(event), handler, attempt, retry.eventAttempts(), LogText.lazy(e));
                    retry.pause(attempt);
                }
            }
        }
        MessageBusListener.Outcome ended = outcome;
        tellListener(() -> listener.handled(event, ended, since(started)));
    }

    private void runRetryingConflicts(Message message, Handler<Message> handler, Queue<Message> queue) {
        for (int attempt = 1; ; attempt++) {
            try (UnitOfWork uow = unitsOfWork.start()) {
                handler.handle(message, uow);
                queue.addAll(uow.collectNewEvents());
                return;
            } catch (ConcurrencyConflict conflict) {
                int lost = attempt;
                if (attempt >= retry.conflictAttempts()) {
                    tellListener(() -> listener.contentionExhausted(message, lost));
                    throw new TooMuchContention(message.toString(), attempt, conflict);
                }
                tellListener(() -> listener.conflictRetried(message, lost));
                log.debug("{} lost a race (attempt {}): {}", LogText.lazy(message), attempt,
                        LogText.lazy(conflict.getMessage()));
                retry.pause(attempt);
            }
        }
    }

    /** Tells the listener, which never fails a message: what it throws is logged and dropped. */
    private void tellListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("The message bus listener failed: {}", LogText.lazy(e));
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Handles one kind of message in a unit of work the bus opens and closes; it commits the unit itself. */
    @FunctionalInterface
    public interface Handler<M extends Message> {
        /**
         * Handles the message in the unit of work.
         *
         * @param message the message
         * @param uow the unit of work the bus opened for it
         */
        void handle(M message, UnitOfWork uow);
    }

    /** Assembles a bus; {@link #build()} refuses a required command without a handler. */
    public static final class Builder {

        private final UnitOfWorkFactory unitsOfWork;
        private final Map<Class<?>, Handler<Message>> commandHandlers = new HashMap<>();
        private final Map<Class<?>, List<Handler<Message>>> eventHandlers = new HashMap<>();
        private final Set<Class<? extends Command>> requiredCommands = new LinkedHashSet<>();
        private Retry retry = Retry.DEFAULT;
        private MessageBusListener listener = MessageBusListener.NONE;

        private Builder(UnitOfWorkFactory unitsOfWork) {
            this.unitsOfWork = Objects.requireNonNull(unitsOfWork, "unitsOfWork must not be null");
        }

        /** The one handler of a command type; a second one is refused. */
        @SuppressWarnings("unchecked")
        public <C extends Command> Builder command(Class<C> type, Handler<? super C> handler) {
            Objects.requireNonNull(type, "type must not be null");
            Objects.requireNonNull(handler, "handler must not be null");
            if (commandHandlers.putIfAbsent(type, (Handler<Message>) handler) != null) {
                throw new IllegalStateException("Command " + type.getSimpleName() + " has a handler already");
            }
            return this;
        }

        /** One more handler of an event type; handlers run in the order they were added. */
        @SuppressWarnings("unchecked")
        public <E extends Event> Builder event(Class<E> type, Handler<? super E> handler) {
            Objects.requireNonNull(type, "type must not be null");
            Objects.requireNonNull(handler, "handler must not be null");
            eventHandlers.computeIfAbsent(type, t -> new ArrayList<>()).add((Handler<Message>) handler);
            return this;
        }

        /** One more handler of an event type that only tells the outside world: it takes the event alone. */
        public <E extends Event> Builder eventWithoutUnitOfWork(Class<E> type, Consumer<? super E> handler) {
            Objects.requireNonNull(handler, "handler must not be null");
            return event(type, (E event, UnitOfWork uow) -> handler.accept(event));
        }

        /** Command types that must have a handler when the bus is built. */
        @SafeVarargs
        public final Builder requireHandlersFor(Class<? extends Command>... types) {
            requiredCommands.addAll(List.of(types));
            return this;
        }

        /** How conflicts and failing event handlers are retried; {@link Retry#DEFAULT} otherwise. */
        public Builder retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "retry must not be null");
            return this;
        }

        /** Who hears what the bus does ({@link MessageBusListener}); nobody otherwise. */
        public Builder listener(MessageBusListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener must not be null");
            return this;
        }

        /** @throws IllegalStateException when a required command has no handler */
        public MessageBus build() {
            List<String> missing = requiredCommands.stream()
                    .filter(type -> !commandHandlers.containsKey(type))
                    .map(Class::getSimpleName)
                    .toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("No handler for command(s) " + String.join(", ", missing));
            }
            return new MessageBus(this);
        }
    }
}
