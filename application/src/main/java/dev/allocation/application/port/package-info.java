/**
 * Ports: what the service layer needs from the outside world, named for intent. Adapters implement
 * them; the composition root chooses which.
 */
package dev.allocation.application.port;
