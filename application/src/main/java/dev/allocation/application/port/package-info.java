/**
 * Ports: what the service layer needs from the outside world. Storage adapters also build on what every
 * store does alike: {@link dev.allocation.application.port.AbstractUnitOfWork},
 * {@link dev.allocation.application.port.AbstractRepository},
 * {@link dev.allocation.application.port.TrackedAllocations} and
 * {@link dev.allocation.application.port.ViewChange}.
 */
package dev.allocation.application.port;
