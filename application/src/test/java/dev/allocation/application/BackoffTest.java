package dev.allocation.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one backoff of the bus's conflicts and the relay's publishes: doubling, capped, drawn at random. */
class BackoffTest {

    private static final Backoff SECOND_TO_MINUTE = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    private static final int DRAWS = 2_000;

    @Test
    void the_first_retry_comes_within_the_first_delay() {
        assertThat(longest(SECOND_TO_MINUTE, 1)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void each_failure_doubles_how_long_a_retry_may_wait() {
        assertThat(longest(SECOND_TO_MINUTE, 3)).isLessThanOrEqualTo(Duration.ofSeconds(4))
                .as("more than the ceiling of the attempt before").isGreaterThan(Duration.ofSeconds(2));
    }

    @Test
    void retries_spread_out_at_random_rather_than_all_at_once() {
        assertThat(IntStream.range(0, DRAWS).mapToObj(draw -> SECOND_TO_MINUTE.delay(1)).distinct().count())
                .isGreaterThan(DRAWS / 2);
        assertThat(shortest(SECOND_TO_MINUTE, 6)).isLessThan(Duration.ofSeconds(16));
    }

    @Test
    void an_outage_of_any_length_never_waits_longer_than_the_max() {
        assertThat(longest(SECOND_TO_MINUTE, 10_000)).isLessThanOrEqualTo(Duration.ofMinutes(1))
                .isGreaterThan(Duration.ofSeconds(30));
        Backoff centuries = new Backoff(Duration.ofDays(1), Duration.ofDays(365 * 1_000));
        assertThat(longest(centuries, Integer.MAX_VALUE)).isPositive();
    }

    @Test
    void a_backoff_of_zero_never_waits() {
        assertThat(longest(new Backoff(Duration.ZERO, Duration.ZERO), 50)).isZero();
    }

    @Test
    void bounds_out_of_order_or_negative_are_refused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(null, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static Duration longest(Backoff backoff, int failures) {
        return IntStream.range(0, DRAWS).mapToObj(draw -> backoff.delay(failures)).max(Duration::compareTo)
                .orElseThrow();
    }

    private static Duration shortest(Backoff backoff, int failures) {
        return IntStream.range(0, DRAWS).mapToObj(draw -> backoff.delay(failures)).min(Duration::compareTo)
                .orElseThrow();
    }
}
