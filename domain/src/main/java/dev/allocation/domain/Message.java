package dev.allocation.domain;

/**
 * Anything the message bus carries: a {@link dev.allocation.domain.commands.Command} that asks the
 * system to do something, or an {@link dev.allocation.domain.events.Event} that says something happened.
 */
public interface Message {
}
