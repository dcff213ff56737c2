/**
 * The allocation service's figures as Micrometer meters: an adapter of the message bus's listener port
 * and of the outbox relay's backlog, optional, for those who run a metrics backend.
 */
package dev.allocation.adapters.micrometer;
