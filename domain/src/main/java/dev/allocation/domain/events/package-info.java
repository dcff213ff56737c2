/** Events: facts the domain raises as it changes, handled in-process and published to other systems. */
package dev.allocation.domain.events;
