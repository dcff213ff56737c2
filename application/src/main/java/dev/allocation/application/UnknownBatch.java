package dev.allocation.application;

/** A command named a batch reference no product holds. */
public class UnknownBatch extends RuntimeException {

    public UnknownBatch(String ref) {
        super("Unknown batch reference " + ref);
    }
}
