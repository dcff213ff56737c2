package dev.allocation.domain;

/** Anything the message bus carries: a command that asks for a change, or an event that says one happened. */
public interface Message {
}
