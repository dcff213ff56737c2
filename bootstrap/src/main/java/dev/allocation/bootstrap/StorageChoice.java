package dev.allocation.bootstrap;

import dev.allocation.application.port.AllocationsReadModel;
import dev.allocation.application.port.ExclusiveJobs;
import dev.allocation.application.port.UnitOfWorkFactory;
import java.util.function.BooleanSupplier;

/**
 * The storage a service runs on, opened by the builder: its ports, a health probe, how its instances
 * take turns, and what to close.
 */
record StorageChoice(String description, UnitOfWorkFactory unitsOfWork, AllocationsReadModel readModel,
                     BooleanSupplier health, ExclusiveJobs exclusiveJobs, AutoCloseable resources) {
}
