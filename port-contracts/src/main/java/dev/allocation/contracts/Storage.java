package dev.allocation.contracts;

import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.port.UnitOfWorkFactory;

/** A storage adapter under test: its units of work, read model and outbox, on one fresh, empty store. */
public record Storage(UnitOfWorkFactory unitsOfWork, AllocationsReadModel readModel, Outbox outbox) {
}
