package dev.allocation.adapters.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code GET /health} and {@code /health/ready} answer: whether the service can serve (200
 * {@code {"status": "ok"}}, else 503 {@code {"status": "unavailable"}}), and, as details, the state of
 * what it depends on ({@code "checks": {"storage": "up", "redis": "down"}}). A detail that is down does
 * not make the answer a 503 by itself: only {@link #ready} does. It exists so that the application can
 * say which of its dependencies decide readiness (a broker outage, for example, does not stop commands
 * while an outbox keeps their events), without the use-case port knowing about HTTP health answers.
 *
 * @param ready  whether the service can serve requests now
 * @param checks each dependency's name and whether it answers, in the order given; empty: no detail
 */
public record Health(boolean ready, Map<String, Boolean> checks) {

    public Health {
        Objects.requireNonNull(checks, "checks must not be null");
        checks.forEach((name, up) -> {
            Objects.requireNonNull(up, "the state of a check must not be null");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a check needs a name");
            }
        });
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** Ready or not, without details: the answer is {@code {"status": ...}} alone. */
    public static Health of(boolean ready) {
        return new Health(ready, Map.of());
    }
}
