package dev.allocation.application;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before trying again, the one formula of the service: the bus's conflict retries
 * ({@link Retry}) and the outbox relay's publish retries both use it. The ceiling starts at
 * {@code first}, doubles with each failure and stops at {@code max}; the delay is drawn at random up to
 * the ceiling ("full jitter"), so that those who failed together spread out instead of failing together
 * again.
 *
 * @param first the ceiling after the first failure
 * @param max   the highest ceiling: the longest a delay can be
 */
public record Backoff(Duration first, Duration max) {

    /** @throws IllegalArgumentException when a bound is null or negative, or {@code max} is below {@code first} */
    public Backoff {
        if (first == null || first.isNegative() || max == null || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("a backoff must be 0 <= first <= max, was " + first + " and " + max);
        }
    }

    /** The delay before the next attempt, after {@code failures} failed ones (at least one). */
    public Duration delay(int failures) {
        long highest = nanos(max);
        long ceiling = Math.min(nanos(first), highest);
        for (int doubled = 1; doubled < failures && ceiling > 0 && ceiling < highest; doubled++) {
            ceiling = ceiling > highest / 2 ? highest : ceiling * 2;
        }
        if (ceiling <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling == Long.MAX_VALUE ? ceiling : ceiling + 1));
    }

    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;   // beyond 292 years: as long as a wait can be
        }
    }
}
