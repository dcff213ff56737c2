package dev.allocation.application;

import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.OutOfStock;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.util.List;
import java.util.Objects;

/**
 * The service layer's use cases, one method per message, with their dependencies handed in
 * explicitly by the composition root (the book's chapter 13): no reflection, no framework.
 * {@link #registerOn} wires them to a message bus.
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

    /** Registers every handler on the bus, requiring one handler per command. */
    public MessageBus.Builder registerOn(MessageBus.Builder bus) {
        return bus
                .requireHandlersFor(CreateBatch.class, Allocate.class, ChangeBatchQuantity.class)
                .command(CreateBatch.class, this::addBatch)
                .command(Allocate.class, this::allocate)
                .command(ChangeBatchQuantity.class, this::changeBatchQuantity)
                .event(Allocated.class, this::publishAllocatedEvent)
                .event(Allocated.class, this::addAllocationToReadModel)
                .event(Deallocated.class, this::removeAllocationFromReadModel)
                .event(Deallocated.class, this::reallocate)
                .event(OutOfStock.class, this::sendOutOfStockNotification);
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

    void allocate(Allocate command, UnitOfWork uow) {
        Product product = uow.products().get(command.sku()).orElseThrow(() -> new InvalidSku(command.sku()));
        product.allocate(new OrderLine(command.orderId(), command.sku(), command.qty()));
        uow.commit();
    }

    void changeBatchQuantity(ChangeBatchQuantity command, UnitOfWork uow) {
        Product product = uow.products().getByBatchRef(command.ref())
                .orElseThrow(() -> new UnknownBatch(command.ref()));
        product.changeBatchQuantity(command.ref(), command.qty());
        uow.commit();
    }

    void reallocate(Deallocated event, UnitOfWork uow) {
        allocate(new Allocate(event.orderId(), event.sku(), event.qty()), uow);
    }

    void sendOutOfStockNotification(OutOfStock event, UnitOfWork uow) {
        notifications.send(outOfStockRecipient, "Out of stock for " + event.sku());
    }

    void publishAllocatedEvent(Allocated event, UnitOfWork uow) {
        publisher.publish(event);
    }

    void addAllocationToReadModel(Allocated event, UnitOfWork uow) {
        readModel.refresh(event.orderId(), event.sku());
    }

    void removeAllocationFromReadModel(Deallocated event, UnitOfWork uow) {
        readModel.refresh(event.orderId(), event.sku());
    }
}
