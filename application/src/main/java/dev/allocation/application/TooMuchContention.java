package dev.allocation.application;

import dev.allocation.application.port.ConcurrencyConflict;

/**
 * A command kept losing optimistic-concurrency races on one product and the bus gave up retrying it.
 * Nothing of the command was saved; it may be sent again.
 */
public class TooMuchContention extends RuntimeException {

    public TooMuchContention(String what, int attempts, ConcurrencyConflict last) {
        super("Gave up on " + what + " after " + attempts + " attempts lost to concurrent changes: "
                + last.getMessage(), last);
    }
}
