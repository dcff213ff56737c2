package dev.allocation.spring.boot;

import dev.allocation.adapters.micrometer.AllocationMeters;
import dev.allocation.application.MessageBusListener;
import dev.allocation.application.outbox.OutboxOperations;
import dev.allocation.domain.Message;
import dev.allocation.domain.events.Event;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * {@link AllocationMeters} as a bean: the bus's meters as a {@link MessageBusListener}, the outbox's
 * gauges once the service exists. A bean of its own rather than {@code AllocationMeters} itself, whose
 * {@code lettuce()} names a Lettuce type that Spring would load when it inspects the bean, failing in
 * an application without Lettuce.
 */
public final class AllocationMetrics implements MessageBusListener {

    private final AllocationMeters meters;

    AllocationMetrics(MeterRegistry registry) {
        this.meters = new AllocationMeters(registry);
    }

    /** Adds the outbox's gauges ({@code allocation.outbox.*}) on {@code outbox}. */
    void outbox(OutboxOperations outbox) {
        meters.outbox(outbox);
    }

    @Override
    public void handled(Message message, Outcome outcome, Duration duration) {
        meters.handled(message, outcome, duration);
    }

    @Override
    public void conflictRetried(Message message, int attempt) {
        meters.conflictRetried(message, attempt);
    }

    @Override
    public void contentionExhausted(Message message, int attempts) {
        meters.contentionExhausted(message, attempts);
    }

    @Override
    public void eventHandlerFailed(Event event, RuntimeException failure, boolean givenUp) {
        meters.eventHandlerFailed(event, failure, givenUp);
    }

    @Override
    public String toString() {
        return "allocation-micrometer meters";
    }
}
