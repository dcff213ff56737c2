/**
 * Ports: what the service layer needs from the outside world, named for intent. Adapters implement
 * them; the composition root chooses which. Storage adapters also build on what every store does
 * alike: {@link dev.allocation.application.port.AbstractUnitOfWork} and
 * {@link dev.allocation.application.port.AbstractRepository} (the identity map, commit once, events
 * handed over once), {@link dev.allocation.application.port.TrackedAllocations} (a stored batch's
 * lines, read lazily, changes tracked) and {@link dev.allocation.application.port.ViewChange} (the
 * read-model rows a commit writes).
 */
package dev.allocation.application.port;
