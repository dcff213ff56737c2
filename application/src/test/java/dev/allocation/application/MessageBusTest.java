package dev.allocation.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.ProductRepository;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.application.port.UnitOfWorkFactory;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.events.OutOfStock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bus's own rules, with a unit of work that holds no products: dispatch, failure and retry. */
class MessageBusTest {

    private static final Retry FAST = new Retry(5, 3, new Backoff(Duration.ZERO, Duration.ZERO));

    private final EventsOnCommit units = new EventsOnCommit();

    @Test
    void a_bus_without_a_handler_for_a_required_command_cannot_be_built() {
        MessageBus.Builder builder = MessageBus.builder(units)
                .requireHandlersFor(Allocate.class, CreateBatch.class)
                .command(Allocate.class, (command, uow) -> { });

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CreateBatch");
    }

    @Test
    void a_second_handler_for_one_command_is_refused_when_registered() {
        MessageBus.Builder builder = MessageBus.builder(units).command(Allocate.class, (command, uow) -> { });

        assertThatThrownBy(() -> builder.command(Allocate.class, (command, uow) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Allocate");
    }

    @Test
    void a_command_without_a_handler_is_refused() {
        MessageBus bus = MessageBus.builder(units).build();

        assertThatThrownBy(() -> bus.handle(new ChangeBatchQuantity("b1", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ChangeBatchQuantity");
    }

    @Test
    void a_command_handlers_failure_reaches_the_caller_unchanged() {
        InvalidSku failure = new InvalidSku("NOPE");
        MessageBus bus = MessageBus.builder(units).command(Allocate.class, (command, uow) -> {
            throw failure;
        }).build();

        assertThatThrownBy(() -> bus.handle(new Allocate("o1", "NOPE", 1))).isSameAs(failure);
    }

    @Test
    void events_raised_by_a_command_are_handled_before_handle_returns() {
        List<Event> handled = new ArrayList<>();
        MessageBus bus = MessageBus.builder(units)
                .command(Allocate.class,
                        (command, uow) -> units.raiseOnCommit(new OutOfStock(command.sku())).commit(uow))
                .event(OutOfStock.class, (event, uow) -> handled.add(event))
                .build();

        bus.handle(new Allocate("o1", "LAMP", 1));

        assertThat(handled).containsExactly(new OutOfStock("LAMP"));
    }

    @Test
    void every_handler_of_an_event_runs_in_the_order_registered() {
        List<String> calls = new ArrayList<>();
        MessageBus bus = MessageBus.builder(units)
                .event(OutOfStock.class, (event, uow) -> calls.add("first"))
                .event(OutOfStock.class, (event, uow) -> calls.add("second"))
                .build();

        bus.handle(new OutOfStock("LAMP"));

        assertThat(calls).containsExactly("first", "second");
    }

    @Test
    void an_event_handler_that_only_tells_the_outside_world_takes_just_the_event() {
        List<Event> told = new ArrayList<>();
        MessageBus bus = MessageBus.builder(units)
                .eventWithoutUnitOfWork(OutOfStock.class, told::add)
                .build();

        bus.handle(new OutOfStock("LAMP"));

        assertThat(told).containsExactly(new OutOfStock("LAMP"));
    }

    @Test
    void a_failing_event_handler_is_retried_a_bounded_number_of_times_and_never_fails_the_command() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger others = new AtomicInteger();
        MessageBus bus = MessageBus.builder(units)
                .retry(FAST)
                .command(Allocate.class,
                        (command, uow) -> units.raiseOnCommit(new OutOfStock(command.sku())).commit(uow))
                .event(OutOfStock.class, (event, uow) -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("mail server down");
                })
                .event(OutOfStock.class, (event, uow) -> others.incrementAndGet())
                .build();

        bus.handle(new Allocate("o1", "LAMP", 1));

        assertThat(attempts).hasValue(3);
        assertThat(others).hasValue(1);
    }

    @Test
    void an_event_handler_that_fails_once_succeeds_on_retry() {
        AtomicInteger attempts = new AtomicInteger();
        List<Event> handled = new ArrayList<>();
        MessageBus bus = MessageBus.builder(units).retry(FAST)
                .event(OutOfStock.class, (event, uow) -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("transient");
                    }
                    handled.add(event);
                })
                .build();

        bus.handle(new OutOfStock("LAMP"));

        assertThat(handled).containsExactly(new OutOfStock("LAMP"));
    }

    @Test
    void a_command_that_loses_a_race_is_run_again_from_the_start() {
        AtomicInteger attempts = new AtomicInteger();
        MessageBus bus = MessageBus.builder(units).retry(FAST)
                .command(Allocate.class, (command, uow) -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new ConcurrencyConflict("stale");
                    }
                })
                .build();

        bus.handle(new Allocate("o1", "LAMP", 1));

        assertThat(attempts).hasValue(3);
    }

    @Test
    void a_command_that_keeps_losing_races_fails_with_too_much_contention_naming_it() {
        AtomicInteger attempts = new AtomicInteger();
        MessageBus bus = MessageBus.builder(units).retry(FAST)
                .command(Allocate.class, (command, uow) -> {
                    attempts.incrementAndGet();
                    throw new ConcurrencyConflict("Product LAMP changed");
                })
                .build();

        assertThatThrownBy(() -> bus.handle(new Allocate("o1", "LAMP", 1)))
                .isInstanceOf(TooMuchContention.class)
                .hasMessageContaining("LAMP")
                .hasMessageContaining("5 attempts");
        assertThat(attempts).hasValue(5);
    }

    @Test
    void a_domain_error_is_never_retried() {
        AtomicInteger attempts = new AtomicInteger();
        MessageBus bus = MessageBus.builder(units).retry(FAST)
                .command(Allocate.class, (command, uow) -> {
                    attempts.incrementAndGet();
                    throw new InvalidSku(command.sku());
                })
                .build();

        assertThatThrownBy(() -> bus.handle(new Allocate("o1", "LAMP", 1))).isInstanceOf(InvalidSku.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void every_unit_of_work_is_closed_whatever_happens() {
        MessageBus bus = MessageBus.builder(units).retry(FAST)
                .command(Allocate.class, (command, uow) -> {
                    throw new InvalidSku(command.sku());
                })
                .build();

        assertThatThrownBy(() -> bus.handle(new Allocate("o1", "LAMP", 1))).isInstanceOf(InvalidSku.class);
        assertThat(units.opened).hasValue(1);
        assertThat(units.closed).hasValue(1);
    }

    @Test
    void the_listener_hears_each_message_handled_with_its_outcome() {
        Heard heard = new Heard();
        MessageBus bus = MessageBus.builder(units).retry(FAST).listener(heard)
                .command(Allocate.class, (command, uow) -> {
                    if (command.sku().equals("NOPE")) {
                        throw new InvalidSku(command.sku());
                    }
                    units.raiseOnCommit(new OutOfStock(command.sku())).commit(uow);
                })
                .command(ChangeBatchQuantity.class, (command, uow) -> {
                    throw new IllegalStateException("a defect");
                })
                .event(OutOfStock.class, (event, uow) -> { })
                .build();

        bus.handle(new Allocate("o1", "LAMP", 1));
        assertThatThrownBy(() -> bus.handle(new Allocate("o2", "NOPE", 1))).isInstanceOf(InvalidSku.class);
        assertThatThrownBy(() -> bus.handle(new ChangeBatchQuantity("b1", 1))).isInstanceOf(IllegalStateException.class);

        assertThat(heard.handled).containsExactly("Allocate SUCCESS", "OutOfStock SUCCESS", "Allocate REFUSED",
                "ChangeBatchQuantity FAILED");
        assertThat(heard.durations).allMatch(duration -> !duration.isNegative());
    }

    @Test
    void the_listener_hears_each_conflict_retried_and_the_contention_that_outlasted_the_retries() {
        Heard heard = new Heard();
        AtomicInteger attempts = new AtomicInteger();
        MessageBus bus = MessageBus.builder(units).retry(FAST).listener(heard)
                .command(Allocate.class, (command, uow) -> {
                    if (command.sku().equals("HOT") || attempts.incrementAndGet() < 3) {
                        throw new ConcurrencyConflict("stale");
                    }
                })
                .build();

        bus.handle(new Allocate("o1", "LAMP", 1));
        assertThatThrownBy(() -> bus.handle(new Allocate("o2", "HOT", 1))).isInstanceOf(TooMuchContention.class);

        assertThat(heard.retried).containsExactly("LAMP 1", "LAMP 2", "HOT 1", "HOT 2", "HOT 3", "HOT 4");
        assertThat(heard.exhausted).containsExactly("HOT 5");
        assertThat(heard.handled).containsExactly("Allocate SUCCESS", "Allocate UNAVAILABLE");
    }

    @Test
    void the_listener_hears_each_failure_of_an_event_handler_and_the_event_fails_once_one_gives_up() {
        Heard heard = new Heard();
        MessageBus bus = MessageBus.builder(units).retry(FAST).listener(heard)
                .event(OutOfStock.class, (event, uow) -> {
                    throw new IllegalStateException("mail server down");
                })
                .build();

        bus.handle(new OutOfStock("LAMP"));

        assertThat(heard.eventFailures).containsExactly("mail server down false", "mail server down false",
                "mail server down true");
        assertThat(heard.handled).containsExactly("OutOfStock FAILED");
    }

    @Test
    void a_failing_listener_never_fails_a_command() {
        List<String> ran = new ArrayList<>();
        MessageBus bus = MessageBus.builder(units).listener(new MessageBusListener() {
                    @Override
                    public void handled(Message message, Outcome outcome, Duration duration) {
                        throw new IllegalStateException("metrics are down");
                    }
                })
                .command(Allocate.class, (command, uow) -> ran.add(command.orderId()))
                .build();

        bus.handle(new Allocate("o1", "LAMP", 1));

        assertThat(ran).containsExactly("o1");
    }

    /** A listener with state: what it heard, as text. */
    private static final class Heard implements MessageBusListener {
        final List<String> handled = new ArrayList<>();
        final List<Duration> durations = new ArrayList<>();
        final List<String> retried = new ArrayList<>();
        final List<String> exhausted = new ArrayList<>();
        final List<String> eventFailures = new ArrayList<>();

        @Override
        public void handled(Message message, Outcome outcome, Duration duration) {
            handled.add(message.getClass().getSimpleName() + " " + outcome);
            durations.add(duration);
        }

        @Override
        public void conflictRetried(Message message, int attempt) {
            retried.add(((Allocate) message).sku() + " " + attempt);
        }

        @Override
        public void contentionExhausted(Message message, int attempts) {
            exhausted.add(((Allocate) message).sku() + " " + attempts);
        }

        @Override
        public void eventHandlerFailed(Event event, RuntimeException failure, boolean givenUp) {
            eventFailures.add(failure.getMessage() + " " + givenUp);
        }
    }

    /** Units of work holding no products; a commit hands over the events a test asked for. */
    private static final class EventsOnCommit implements UnitOfWorkFactory {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final List<Event> pending = new ArrayList<>();

        EventsOnCommit raiseOnCommit(Event event) {
            pending.add(event);
            return this;
        }

        void commit(UnitOfWork uow) {
            uow.commit();
        }

        @Override
        public UnitOfWork start() {
            opened.incrementAndGet();
            return new UnitOfWork() {
                private final List<Event> committed = new ArrayList<>();

                @Override
                public ProductRepository products() {
                    throw new UnsupportedOperationException("no products in this test");
                }

                @Override
                public void commit() {
                    committed.addAll(pending);
                    pending.clear();
                }

                @Override
                public void rollback() {
                    pending.clear();
                }

                @Override
                public List<Event> collectNewEvents() {
                    List<Event> events = List.copyOf(committed);
                    committed.clear();
                    return events;
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }
}
