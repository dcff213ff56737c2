package dev.allocation.application.outbox;

import java.time.Duration;

/**
 * How far the relay is behind: the events recorded and not yet published, the age of the oldest of
 * them, and the dead events. For gauges and alerts.
 */
public record OutboxBacklog(long pending, Duration oldestPendingAge, long dead) {
}
