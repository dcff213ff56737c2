/**
 * Contract tests of the storage ports, written once and run against every storage adapter (memory,
 * H2, PostgreSQL, and yours): extend {@link dev.allocation.contracts.StorageContract} in your adapter's
 * test suite, say how to make a fresh storage, and the adapter can be swapped in safely.
 */
package dev.allocation.contracts;
