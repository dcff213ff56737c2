package dev.allocation.application;

import dev.allocation.domain.Refusal;

/**
 * A batch reference is unique across every sku; a second batch with the same one is refused. The
 * message names only the reference the caller sent: the sku of the batch that holds it may belong to
 * another client, so it is left to {@link #existingSku()}.
 */
public class DuplicateBatch extends Refusal {

    private final String existingSku;

    /**
     * @param ref the batch reference asked for again
     * @param existingSku the sku of the batch that has it already
     */
    /**
     * @param ref         the batch reference the caller sent
     * @param existingSku the sku of the batch that holds it already (kept for embedders, never in the message)
     */
    public DuplicateBatch(String ref, String existingSku) {
        super("Batch reference " + ref + " exists already");
        this.existingSku = existingSku;
    }

    /** The sku of the batch that holds the reference already. */
    public String existingSku() {
        return existingSku;
    }
}
