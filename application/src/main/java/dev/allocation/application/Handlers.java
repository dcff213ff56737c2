package dev.allocation.application;

import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.Command;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.events.OutOfStock;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The service layer's use cases, one method per message, with their dependencies handed in
 * explicitly by the composition root (the book's chapter 13): no reflection, no framework.
 * {@link #registerOn} wires them to a message bus.
 *
 * <p>Each command is one transaction: the unit of work writes the read-model rows that a command's
 * events imply together with the product (where the book updates its view in later event handlers),
 * so the view never lags the store, even across a crash. The event handlers left are those that tell
 * the outside world: the out-of-stock notification and the published {@code Allocated}.
 */
public final class Handlers {

    private final AllocationsReadModel readModel;
    private final Notifications notifications;
    private final EventPublisher publisher;
    private final String outOfStockRecipient;

    public Handlers(AllocationsReadModel readModel, Notifications notifications, EventPublisher publisher,
                    String outOfStockRecipient) {
        this.readModel = Objects.requireNonNull(readModel, "readModel must not be null");
        this.notifications = Objects.requireNonNull(notifications, "notifications must not be null");
        this.publisher = Objects.requireNonNull(publisher, "publisher must not be null");
        this.outOfStockRecipient = Identifier.require(outOfStockRecipient, "outOfStockRecipient");
    }

    /**
     * Registers every handler on the bus, requiring a handler for every command the domain knows (its
     * sealed {@link Command} hierarchy), so that a command added without its handler fails at build.
     */
    @SuppressWarnings("unchecked")
    public MessageBus.Builder registerOn(MessageBus.Builder bus) {
        return bus
                .requireHandlersFor((Class<? extends Command>[]) Command.class.getPermittedSubclasses())
                .command(CreateBatch.class, this::addBatch)
                .command(Allocate.class, this::allocate)
                .command(ChangeBatchQuantity.class, this::changeBatchQuantity)
                .tell(Allocated.class, this::publishAllocatedEvent)
                .tell(OutOfStock.class, this::sendOutOfStockNotification);
    }

    void addBatch(CreateBatch command, UnitOfWork uow) {
        uow.products().getByBatchRef(command.ref()).ifPresent(existing -> {
            throw new DuplicateBatch(command.ref(), existing.sku());
        });
        Product product = uow.products().get(command.sku()).orElseGet(() -> {
            Product created = new Product(command.sku(), List.of());
            uow.products().add(created);
            return created;
        });
        product.addBatch(new Batch(command.ref(), command.sku(), command.qty(), command.eta()));
        uow.commit();
    }

    /**
     * Allocates the line. A repeat of an allocation changes nothing, but repairs the line's read-model
     * row, should it be missing or stale.
     */
    void allocate(Allocate command, UnitOfWork uow) {
        Product product = uow.products().get(command.sku()).orElseThrow(() -> new InvalidSku(command.sku()));
        long version = product.versionNumber();
        Optional<String> batchRef = product.allocate(new OrderLine(command.orderId(), command.sku(), command.qty()));
        uow.commit();
        if (batchRef.isPresent() && product.versionNumber() == version) {
            readModel.refresh(command.orderId(), command.sku());
        }
    }

    /**
     * Changes the batch's quantity and allocates again, within the same product and the same unit of
     * work, every line the batch gave back: the shrink and its reallocations commit together or not at
     * all. (The book reallocates in a handler of {@code Deallocated}, in a later transaction; a crash in
     * between would leave those orders unallocated.)
     */
    void changeBatchQuantity(ChangeBatchQuantity command, UnitOfWork uow) {
        Product product = uow.products().getByBatchRef(command.ref())
                .orElseThrow(() -> new UnknownBatch(command.ref()));
        product.changeBatchQuantity(command.ref(), command.qty());
        for (Event event : product.events()) {
            if (event instanceof Deallocated line) {
                product.allocate(new OrderLine(line.orderId(), line.sku(), line.qty()));
            }
        }
        uow.commit();
    }

    void sendOutOfStockNotification(OutOfStock event) {
        notifications.send(outOfStockRecipient, "Out of stock for " + event.sku());
    }

    void publishAllocatedEvent(Allocated event) {
        publisher.publish(event);
    }
}
