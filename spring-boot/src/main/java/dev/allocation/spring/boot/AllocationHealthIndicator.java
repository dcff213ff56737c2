package dev.allocation.spring.boot;

import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.bootstrap.AllocationService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code allocation} component of {@code /actuator/health}: down while the storage does not answer
 * a real query ({@link AllocationService#isHealthy()}); up otherwise, with the outbox's figures as
 * details (events pending, the age of the oldest, events dead), which tell a stuck publisher without
 * taking the application out of service for it. Each broker configured (Redis, Kafka) is a detail too,
 * {@code UP} or {@code DOWN}, never a reason for the component to be down: while a broker is away every
 * command still commits and its events wait in the outbox.
 */
public class AllocationHealthIndicator extends AbstractHealthIndicator {

    private final AllocationService service;
    private final List<Broker> brokers;

    public AllocationHealthIndicator(AllocationService service) {
        this(service, List.of());
    }

    AllocationHealthIndicator(AllocationService service, List<Broker> brokers) {
        super("Allocation health check failed");
        this.service = service;
        this.brokers = List.copyOf(brokers);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, CompletableFuture<Boolean>> asked = new LinkedHashMap<>();   // every broker at once
        brokers.forEach(broker -> asked.put(broker.name(), broker.answers().get()));
        boolean storage = service.isHealthy();
        builder.status(storage ? "UP" : "DOWN").withDetail("storage", storage ? "UP" : "DOWN");
        if (storage) {
            try {
                OutboxBacklog backlog = service.outbox().backlog();
                builder.withDetail("outboxPending", backlog.pending())
                        .withDetail("outboxOldestPendingAge", backlog.oldestPendingAge().toString())
                        .withDetail("outboxDead", backlog.dead());
            } catch (UnsupportedOperationException e) {
                // an application's own service that relays no outbox
            }
        }
        asked.forEach((name, answer) -> builder.withDetail(name, Broker.answered(answer) ? "UP" : "DOWN"));
    }
}
