/**
 * What every storage adapter builds on, so that each says only how to load, save and discard:
 * {@link dev.allocation.application.unitofwork.AbstractUnitOfWork} and
 * {@link dev.allocation.application.unitofwork.AbstractRepository} (the book's, with the identity map),
 * {@link dev.allocation.application.unitofwork.TrackedAllocations} (a batch's stored lines, read through
 * the store's {@link dev.allocation.application.unitofwork.StoredLines} only when asked) and
 * {@link dev.allocation.application.unitofwork.ViewChange} (the read-model rows a commit's events imply).
 * Not ports: base classes and helpers of the adapters that implement
 * {@link dev.allocation.application.port.Storage}.
 */
package dev.allocation.application.unitofwork;
