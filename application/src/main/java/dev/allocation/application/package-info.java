/**
 * The service layer: the {@link dev.allocation.application.MessageBus} and the
 * {@link dev.allocation.application.Handlers} of every message. Storage and the outside world come
 * through the ports of {@link dev.allocation.application.port}; the events that leave the service, through
 * the outbox of {@link dev.allocation.application.outbox}.
 */
package dev.allocation.application;
