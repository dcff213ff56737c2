package dev.allocation.domain.commands;

import dev.allocation.domain.Message;

/** A request to change the system; exactly one handler runs it and its failure reaches the caller. */
public interface Command extends Message {
}
