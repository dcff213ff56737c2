package dev.allocation.application;

import java.time.Duration;

/**
 * How the message bus retries: a handler that lost an optimistic-concurrency race up to
 * {@code conflictAttempts} times, a failing event handler up to {@code eventAttempts} times, sleeping
 * a {@link Backoff} between attempts so that racing writers spread out.
 */
public record Retry(int conflictAttempts, int eventAttempts, Backoff backoff) {

    /** 100 attempts on conflicts, 3 for a failing event handler, a backoff from 1 ms up to 50 ms. */
    public static final Retry DEFAULT = new Retry(100, 3, new Backoff(Duration.ofMillis(1), Duration.ofMillis(50)));

    /** @throws IllegalArgumentException when an attempt count is below 1 or the backoff is missing */
    public Retry {
        if (conflictAttempts < 1 || eventAttempts < 1) {
            throw new IllegalArgumentException("conflictAttempts and eventAttempts must be at least 1, were "
                    + conflictAttempts + " and " + eventAttempts);
        }
        if (backoff == null) {
            throw new IllegalArgumentException("backoff must not be null");
        }
    }

    void pause(int attempt) {
        long nanos = backoff.delay(attempt).toNanos();
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry", e);
        }
    }
}
