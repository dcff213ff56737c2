/**
 * The allocation domain of <i>Architecture Patterns with Python</i>: order lines are allocated to
 * batches of stock, within one {@link dev.allocation.domain.model.Product} per sku. Pure Java, no
 * dependency at all.
 */
package dev.allocation.domain;
