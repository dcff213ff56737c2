package dev.allocation.domain.events;

import dev.allocation.domain.Message;

/** Something that happened in the domain; any number of handlers react to it. */
public interface Event extends Message {
}
