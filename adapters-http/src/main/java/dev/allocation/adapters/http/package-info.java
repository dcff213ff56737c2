/**
 * The HTTP adapter: the reference allocation service's API on an embedded Jetty 12 server (its core API,
 * no servlets), driving {@link dev.allocation.application.AllocationUseCases}.
 * {@link dev.allocation.adapters.http.HttpApi#start} is the only entry point of the API,
 * {@link dev.allocation.adapters.http.AdminApi#start} that of the operator's admin API; both are configured
 * by {@link dev.allocation.adapters.http.HttpConfig}. What the edge guarantees is in the module's README.
 */
package dev.allocation.adapters.http;
