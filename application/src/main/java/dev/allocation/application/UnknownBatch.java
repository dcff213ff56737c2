package dev.allocation.application;

import dev.allocation.domain.Refusal;

/** A command named a batch reference no product holds. */
public class UnknownBatch extends Refusal {

    /** @param ref the batch reference the caller sent, which no product holds */
    public UnknownBatch(String ref) {
        super("Unknown batch reference " + ref);
    }
}
