/**
 * The composition root: {@link dev.allocation.bootstrap.Bootstrap} builds an
 * {@link dev.allocation.bootstrap.AllocationService}.
 */
package dev.allocation.bootstrap;
