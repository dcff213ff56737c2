/**
 * The service layer: the {@link dev.allocation.application.MessageBus}, the
 * {@link dev.allocation.application.Handlers} of every command and event, and the read views.
 * Depends on the domain and slf4j-api only; storage and the outside world come through the ports of
 * {@link dev.allocation.application.port}.
 */
package dev.allocation.application;
