package dev.allocation.application.port;

/**
 * Storage cannot be reached now (the database is down, restarting, refusing connections or not
 * answering within its timeouts). Storage adapters throw it so that callers can tell an outage, which
 * is worth retrying later, from a bug: the HTTP API answers 503 with {@code Retry-After}. Whether a
 * commit in progress took effect is unknown; every command of this service may be sent again.
 */
public class StorageUnavailable extends RuntimeException {

    public StorageUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
