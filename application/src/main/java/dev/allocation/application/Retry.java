package dev.allocation.application;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the message bus retries: a handler that lost an optimistic-concurrency race up to
 * {@code conflictAttempts} times, a failing event handler up to {@code eventAttempts} times. Between
 * attempts it sleeps a random time up to {@code firstBackoff} doubled per attempt, capped at
 * {@code maxBackoff} ("full jitter"), so that racing writers spread out.
 */
public record Retry(int conflictAttempts, int eventAttempts, Duration firstBackoff, Duration maxBackoff) {

    /** 100 attempts on conflicts, 3 for a failing event handler, backoffs from 1 ms up to 50 ms. */
    public static final Retry DEFAULT = new Retry(100, 3, Duration.ofMillis(1), Duration.ofMillis(50));

    /** @throws IllegalArgumentException when an attempt count is below 1 or the backoffs are out of order */
    public Retry {
        if (conflictAttempts < 1 || eventAttempts < 1) {
            throw new IllegalArgumentException("conflictAttempts and eventAttempts must be at least 1, were "
                    + conflictAttempts + " and " + eventAttempts);
        }
        if (firstBackoff == null || firstBackoff.isNegative() || maxBackoff == null
                || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must be 0 <= firstBackoff <= maxBackoff, were "
                    + firstBackoff + " and " + maxBackoff);
        }
    }

    void pause(int attempt) {
        long ceiling = Math.min(maxBackoff.toNanos(), firstBackoff.toNanos() << Math.min(attempt - 1, 20));
        if (ceiling <= 0) {
            return;
        }
        long nanos = ThreadLocalRandom.current().nextLong(ceiling + 1);
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry", e);
        }
    }
}
