package dev.allocation.bootstrap;

import dev.allocation.adapters.memory.InMemoryStorage;
import dev.allocation.application.Handlers;
import dev.allocation.application.MessageBus;
import dev.allocation.application.Retry;
import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.application.port.UnitsOfWork;
import dev.allocation.domain.Identifier;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The composition root (the book's {@code bootstrap.py}): chooses an adapter for every port, with a
 * sensible default for each, hands the dependencies to the handlers explicitly, and builds an
 * {@link AllocationService}. No dependency-injection framework.
 *
 * <pre>{@code
 * try (AllocationService service = Bootstrap.builder().inMemory().build()) {
 *     service.handle(new CreateBatch("b1", "LAMP", 100, null));
 *     service.handle(new Allocate("o1", "LAMP", 10));
 *     service.allocations("o1");   // [AllocationView[sku=LAMP, batchRef=b1]]
 * }
 * }</pre>
 */
public final class Bootstrap {

    /** Where out-of-stock notifications go unless told otherwise, as in the book. */
    public static final String DEFAULT_OUT_OF_STOCK_RECIPIENT = "stock@made.com";

    private Bootstrap() {
    }

    /** A builder with every default: embedded storage, notifications and events to the log. */
    public static Builder builder() {
        return new Builder();
    }

    /** Chooses the adapters of one service; every choice is optional. */
    public static final class Builder {

        private Supplier<StorageChoice> storage = Builder::defaultStorage;
        private Notifications notifications = new LoggingNotifications();
        private EventPublisher eventPublisher = new LoggingEventPublisher();
        private String outOfStockRecipient = DEFAULT_OUT_OF_STOCK_RECIPIENT;
        private Retry retry = Retry.DEFAULT;

        private Builder() {
        }

        /** Stores everything in memory (adapters-memory): fast, transactional, gone at close. */
        public Builder inMemory() {
            storage = Builder::inMemoryStorage;
            return this;
        }

        /**
         * Stores in any other storage adapter: its units of work and its read model. The service does
         * not close them.
         */
        public Builder storage(UnitsOfWork unitsOfWork, AllocationsReadModel readModel) {
            Objects.requireNonNull(unitsOfWork, "unitsOfWork must not be null");
            Objects.requireNonNull(readModel, "readModel must not be null");
            storage = () -> new StorageChoice("custom storage " + unitsOfWork.getClass().getSimpleName(),
                    unitsOfWork, readModel, () -> true, () -> { });
            return this;
        }

        /** Where notifications go; the log by default. */
        public Builder notifications(Notifications notifications) {
            this.notifications = Objects.requireNonNull(notifications, "notifications must not be null");
            return this;
        }

        /** Where events for other systems go; the log by default. */
        public Builder eventPublisher(EventPublisher publisher) {
            this.eventPublisher = Objects.requireNonNull(publisher, "publisher must not be null");
            return this;
        }

        /** Who is told when a sku runs out of stock; {@value #DEFAULT_OUT_OF_STOCK_RECIPIENT} by default. */
        public Builder outOfStockRecipient(String recipient) {
            this.outOfStockRecipient = Identifier.require(recipient, "recipient");
            return this;
        }

        /** How the bus retries lost races and failing event handlers; {@link Retry#DEFAULT} by default. */
        public Builder retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "retry must not be null");
            return this;
        }

        /** The service, on the storage chosen (by default a new one private to it, gone at close). */
        public AllocationService build() {
            StorageChoice chosen = storage.get();
            try {
                Handlers handlers = new Handlers(chosen.readModel(), notifications, eventPublisher,
                        outOfStockRecipient);
                MessageBus bus = handlers.registerOn(MessageBus.builder(chosen.unitsOfWork()))
                        .retry(retry)
                        .build();
                return new BusAllocationService(bus, chosen);
            } catch (RuntimeException e) {
                closeQuietly(chosen, e);
                throw e;
            }
        }

        private static StorageChoice defaultStorage() {
            return inMemoryStorage();
        }

        private static StorageChoice inMemoryStorage() {
            InMemoryStorage memory = new InMemoryStorage();
            return new StorageChoice("in memory", memory, memory.readModel(), () -> true, () -> { });
        }

        private static void closeQuietly(StorageChoice chosen, RuntimeException failure) {
            try {
                chosen.resources().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
