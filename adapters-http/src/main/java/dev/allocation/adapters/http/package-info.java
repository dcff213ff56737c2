/**
 * The HTTP adapter: the reference allocation service's API on the JDK's built-in HTTP server, driving
 * {@link dev.allocation.application.AllocationUseCases}. {@link dev.allocation.adapters.http.HttpApi#start}
 * is the only entry point.
 */
package dev.allocation.adapters.http;
