/**
 * The service layer: the {@link dev.allocation.application.MessageBus} and the
 * {@link dev.allocation.application.Handlers} of every message. Storage and the outside world come
 * through the ports of {@link dev.allocation.application.port}.
 */
package dev.allocation.application;
