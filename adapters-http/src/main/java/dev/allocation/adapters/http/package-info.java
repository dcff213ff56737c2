/**
 * The HTTP adapter: the reference allocation service's API ({@code POST /add_batch},
 * {@code POST /allocate}, {@code GET /allocations/{orderid}}, {@code GET /health}) on the JDK's
 * built-in HTTP server, driving {@link dev.allocation.application.AllocationUseCases}.
 * {@link dev.allocation.adapters.http.HttpApi#start} is the only entry point; everything else is
 * package-private.
 */
package dev.allocation.adapters.http;
