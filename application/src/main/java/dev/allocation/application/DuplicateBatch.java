package dev.allocation.application;

/** A batch reference is unique across every sku; a second batch with the same one is refused. */
public class DuplicateBatch extends RuntimeException {

    public DuplicateBatch(String ref, String existingSku) {
        super("Batch reference " + ref + " exists already (sku " + existingSku + ")");
    }
}
