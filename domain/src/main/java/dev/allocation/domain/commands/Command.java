package dev.allocation.domain.commands;

import dev.allocation.domain.Message;

/**
 * A request to change the system; exactly one handler runs it and its failure reaches the caller. The
 * commands are the domain's closed vocabulary, so the service layer can check that each has a handler.
 */
public sealed interface Command extends Message permits Allocate, ChangeBatchQuantity, CreateBatch {
}
