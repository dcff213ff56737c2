/**
 * The dependency rules of the allocation service's hexagonal architecture, as a reusable
 * ArchUnit rule set: {@link dev.allocation.architecture.HexagonalRules}. The domain knows the JDK
 * only, the application the domain and slf4j only, adapters never know each other, and only the
 * composition root (bootstrap) and the runnable service know adapters. Every rule refuses to
 * pass vacuously: a required layer without classes fails the check.
 */
package dev.allocation.architecture;
