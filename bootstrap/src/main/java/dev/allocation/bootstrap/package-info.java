/**
 * The composition root: {@link dev.allocation.bootstrap.Bootstrap} wires adapters to the service
 * layer and returns an {@link dev.allocation.bootstrap.AllocationService}.
 */
package dev.allocation.bootstrap;
