package dev.allocation.application.port;

/**
 * Storage cannot be reached now (down, restarting, refusing connections, timing out): an outage worth
 * retrying later, not a bug (the HTTP API answers 503). Whether a commit in progress took effect is
 * unknown; every command of this service may be sent again.
 */
public class StorageUnavailable extends RuntimeException {

    /**
     * @param message what could not be reached
     * @param cause   the store's own failure
     */
    public StorageUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
