package dev.allocation.application;

import dev.allocation.domain.Refusal;

/** A batch reference is unique across every sku; a second batch with the same one is refused. */
public class DuplicateBatch extends Refusal {

    public DuplicateBatch(String ref, String existingSku) {
        super("Batch reference " + ref + " exists already (sku " + existingSku + ")");
    }
}
