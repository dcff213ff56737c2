/**
 * In-memory adapters: a transactional, thread-safe storage ({@link
 * dev.allocation.adapters.memory.InMemoryStorage}), and notifications and a publisher that only record.
 * Tests use them as fakes; the storage serves anyone who needs no persistence.
 */
package dev.allocation.adapters.memory;
