package dev.allocation.application.outbox;

/**
 * A store's outbox, as a storage adapter provides it: the relay's {@link OutboxQueue} and the operators'
 * {@link OutboxOperations} on one table. A unit of work of the same store records into it at commit
 * ({@link OutgoingEvents}). Every store proves it with {@code dev.allocation.contracts.OutboxContract}.
 */
public interface Outbox extends OutboxQueue, OutboxOperations {
}
