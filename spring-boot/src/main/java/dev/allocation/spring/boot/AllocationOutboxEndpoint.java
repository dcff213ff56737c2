package dev.allocation.spring.boot;

import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.bootstrap.AllocationService;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The outbox for operators, as the actuator endpoint {@code allocationoutbox} (web and JMX, behind the
 * application's own security): {@code GET} the backlog and the dead events, {@code POST /{eventId}}
 * republishes a dead event, {@code DELETE /{eventId}} purges one, {@code DELETE} purges them all. Like
 * every actuator endpoint, it is exposed over the web only once listed in
 * {@code management.endpoints.web.exposure.include}.
 */
@Endpoint(id = "allocationoutbox")
public class AllocationOutboxEndpoint {

    /** How many dead events a read lists, at most (oldest first). */
    static final int DEAD_LISTED = 100;

    private final AllocationService service;

    public AllocationOutboxEndpoint(AllocationService service) {
        this.service = service;
    }

    /** The backlog figures and the oldest dead events. */
    @ReadOperation
    public Outbox outbox() {
        OutboxBacklog backlog = service.outbox().backlog();
        List<DeadEvent> dead = service.outbox().dead(DEAD_LISTED).stream().map(DeadEvent::of).toList();
        return new Outbox(backlog.pending(), backlog.oldestPendingAge().toString(), backlog.dead(), dead);
    }

    /** Makes a dead event pending again; false when no dead event has that id. */
    @WriteOperation
    public Result republish(@Selector String eventId) {
        return new Result(service.outbox().republish(eventId));
    }

    /** Deletes a dead event for good; false when no dead event has that id. */
    @DeleteOperation
    public Result purge(@Selector String eventId) {
        return new Result(service.outbox().purge(eventId));
    }

    /** Deletes every dead event. */
    @DeleteOperation
    public Purged purgeDead() {
        return new Purged(service.outbox().purgeDead());
    }

    /** What a read shows. */
    public record Outbox(long pending, String oldestPendingAge, long dead, List<DeadEvent> deadEvents) {
    }

    /** A dead event as an operator needs it: which, what, how often tried, why it failed. */
    public record DeadEvent(String eventId, String sku, String event, Instant recordedAt, int attempts,
                            String lastError) {

        static DeadEvent of(OutboxEvent event) {
            return new DeadEvent(event.eventId(), event.sku(), event.event().toString(), event.recordedAt(),
                    event.attempts(), event.lastError());
        }
    }

    /** Whether a dead event had that id. */
    public record Result(boolean done) {
    }

    /** How many dead events were purged. */
    public record Purged(int purged) {
    }
}
