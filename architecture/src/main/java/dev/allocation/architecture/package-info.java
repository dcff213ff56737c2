/**
 * The dependency rules of the allocation service's hexagonal architecture, as a reusable ArchUnit rule
 * set: {@link dev.allocation.architecture.HexagonalRules}.
 */
package dev.allocation.architecture;
