package dev.allocation.application;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the message bus retries: a command or event handler that lost an optimistic-concurrency race
 * runs again up to {@code conflictAttempts} times; a failing event handler up to {@code eventAttempts}
 * times. Between attempts it sleeps a random time up to {@code firstBackoff} doubled per attempt and
 * capped at {@code maxBackoff} ("full jitter"), so that racing writers spread out.
 */
public record Retry(int conflictAttempts, int eventAttempts, Duration firstBackoff, Duration maxBackoff) {

    /** 100 attempts on conflicts, 3 for failing event handlers, backoff from 1 ms up to 50 ms. */
    public static final Retry DEFAULT = new Retry(100, 3, Duration.ofMillis(1), Duration.ofMillis(50));

    public Retry {
        if (conflictAttempts < 1) {
            throw new IllegalArgumentException("conflictAttempts must be at least 1, was " + conflictAttempts);
        }
        if (eventAttempts < 1) {
            throw new IllegalArgumentException("eventAttempts must be at least 1, was " + eventAttempts);
        }
        if (firstBackoff == null || firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff must be zero or positive");
        }
        if (maxBackoff == null || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be at least firstBackoff");
        }
    }

    void pause(int attempt) {
        long firstNanos = firstBackoff.toNanos();
        long ceiling = Math.min(maxBackoff.toNanos(), firstNanos << Math.min(attempt - 1, 20));
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
