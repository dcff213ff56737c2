/**
 * Contract tests of the storage ports, run against every storage adapter: extend
 * {@link dev.allocation.contracts.StorageContract} in your adapter's test suite.
 */
package dev.allocation.contracts;
