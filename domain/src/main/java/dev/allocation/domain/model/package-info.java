/**
 * The model: the {@link dev.allocation.domain.model.Product} aggregate, its
 * {@link dev.allocation.domain.model.Batch} entities and the
 * {@link dev.allocation.domain.model.OrderLine} value object.
 */
package dev.allocation.domain.model;
