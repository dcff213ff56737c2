package dev.allocation.application;

import dev.allocation.application.port.Notifications;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.Command;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.events.OutOfStock;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.util.List;
import java.util.Objects;

/**
 * The book's handlers, one method per message, with their dependencies handed in by the composition
 * root. The read model is written by the unit of work in the command's own transaction (where the book
 * updates it in later event handlers), and the events that leave the service are recorded in its
 * outbox by the unit of work, for the outbox relay to publish; so the one event handler left
 * sends the out-of-stock notification.
 */
public final class Handlers {

    private final Notifications notifications;
    private final String outOfStockRecipient;

    /**
     * @param notifications where OutOfStock is sent
     * @param outOfStockRecipient to whom
     */
    public Handlers(Notifications notifications, String outOfStockRecipient) {
        this.notifications = Objects.requireNonNull(notifications, "notifications must not be null");
        this.outOfStockRecipient = Identifier.require(outOfStockRecipient, "outOfStockRecipient");
    }

    /** Registers every handler on the bus, which then refuses to build if a command lacks one. */
    @SuppressWarnings("unchecked")
    public MessageBus.Builder registerOn(MessageBus.Builder bus) {
        return bus
                .requireHandlersFor((Class<? extends Command>[]) Command.class.getPermittedSubclasses())
                .command(CreateBatch.class, this::addBatch)
                .command(Allocate.class, this::allocate)
                .command(ChangeBatchQuantity.class, this::changeBatchQuantity)
                .eventWithoutUnitOfWork(OutOfStock.class,
                        event -> notifications.send(outOfStockRecipient, "Out of stock for " + event.sku()));
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
     * Allocates the line. A repeat changes nothing and writes nothing: the line's read-model row was
     * written by the transaction that last moved the line, and nothing can have moved it since without
     * writing the row again.
     */
    void allocate(Allocate command, UnitOfWork uow) {
        Product product = uow.products().getForAllocation(command.sku(), command.orderId())
                .orElseThrow(() -> new InvalidSku(command.sku()));
        product.allocate(new OrderLine(command.orderId(), command.sku(), command.qty()));
        uow.commit();
    }

    /**
     * Shrinks the batch and allocates again every line it gave back, in the same unit of work, so both
     * commit or neither does (the book reallocates in a later transaction, which a crash could skip).
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
}
