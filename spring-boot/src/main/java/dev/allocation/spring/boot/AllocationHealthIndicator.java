package dev.allocation.spring.boot;

import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.bootstrap.AllocationService;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code allocation} component of {@code /actuator/health}: down while the storage does not answer
 * a real query ({@link AllocationService#isHealthy()}); up otherwise, with the outbox's figures as
 * details (events pending, the age of the oldest, events dead), which tell a stuck publisher without
 * taking the application out of service for it.
 */
public class AllocationHealthIndicator extends AbstractHealthIndicator {

    private final AllocationService service;

    public AllocationHealthIndicator(AllocationService service) {
        super("Allocation health check failed");
        this.service = service;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
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
    }
}
