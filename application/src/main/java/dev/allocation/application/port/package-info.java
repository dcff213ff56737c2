/**
 * Ports: what the service layer needs from the outside world. {@link dev.allocation.application.port.Storage}
 * is the one port every store implements; what every store does alike is in
 * {@link dev.allocation.application.unitofwork}.
 */
package dev.allocation.application.port;
