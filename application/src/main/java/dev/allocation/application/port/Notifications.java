package dev.allocation.application.port;

/** Tells people things (the book sends an email when a sku runs out of stock). */
public interface Notifications {

    /** Sends {@code message} to {@code destination}. */
    void send(String destination, String message);
}
