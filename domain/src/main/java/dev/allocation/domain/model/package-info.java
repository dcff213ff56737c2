/** The model: the {@code Product} aggregate, its {@code Batch} entities and the {@code OrderLine} value object. */
package dev.allocation.domain.model;
