/**
 * Real in-memory adapters: transactional, thread-safe storage ({@link
 * dev.allocation.adapters.memory.InMemoryStorage}) and recording notifications and publisher. They
 * are what tests use as fakes, and a storage for anyone who needs no persistence.
 */
package dev.allocation.adapters.memory;
