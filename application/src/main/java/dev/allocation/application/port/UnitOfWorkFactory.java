package dev.allocation.application.port;

/** Starts units of work on one storage; a storage adapter's entry point for the message bus. */
@FunctionalInterface
public interface UnitOfWorkFactory {

    /** A new unit of work; cheap until it is first used. */
    UnitOfWork start();
}
