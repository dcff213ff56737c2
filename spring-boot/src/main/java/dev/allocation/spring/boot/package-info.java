/**
 * The allocation service in a Spring Boot application: auto-configuration of an
 * {@link dev.allocation.bootstrap.AllocationService} bean on the application's {@code DataSource}, its
 * properties under {@code allocation.*}, its health contributor, meters, outbox endpoint and lifecycle.
 * The only place of the project that knows Spring.
 */
package dev.allocation.spring.boot;
