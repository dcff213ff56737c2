/**
 * The runnable allocation service: {@link dev.allocation.service.AllocationServer#main} reads flags
 * and environment variables, composes {@link dev.allocation.bootstrap.Bootstrap} with the HTTP API and
 * (when configured) Redis, and stops them in order on SIGTERM.
 */
package dev.allocation.service;
