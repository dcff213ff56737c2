package dev.allocation.application;

import dev.allocation.application.port.ConcurrencyConflict;

/** The bus gave up retrying a command that kept losing races on one product; nothing was saved. */
public class TooMuchContention extends RuntimeException {

    /**
     * @param what     the message that gave up
     * @param attempts how many attempts it made
     * @param last     the last conflict it lost
     */
    public TooMuchContention(String what, int attempts, ConcurrencyConflict last) {
        super("Gave up on " + what + " after " + attempts + " attempts lost to concurrent changes: "
                + last.getMessage(), last);
    }
}
