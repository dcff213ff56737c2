package dev.allocation.contracts;

import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.UnitsOfWork;

/** A storage adapter under test: its units of work and its read model, on one fresh, empty store. */
public record Storage(UnitsOfWork unitsOfWork, AllocationsReadModel readModel) {
}
