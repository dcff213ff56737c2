package dev.allocation.adapters.jdbc;

import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.application.outbox.OutboxClaim;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.outbox.OutgoingEvents;
import dev.allocation.domain.events.Event;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The outbox in the {@code outbox} table. A unit of work records its events there in its own
 * transaction ({@link #record}); the relay's claims lock the one row of {@code outbox_claims} for the
 * few milliseconds of a claim, so that relays on several instances claim one at a time (the second part
 * of the order per sku, {@link dev.allocation.application.outbox}).
 */
final class JdbiOutbox implements Outbox {

    private static final String COLUMNS = "id, event_id, sku, type, payload, recorded_at, attempts, "
            + "next_attempt_at, claimed_until, last_error";

    private final Database database;
    private final Clock clock = Clock.systemUTC();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean busy;

    JdbiOutbox(Database database) {
        this.database = database;
    }

    /** Records the events of a unit of work in its transaction, on its handle. */
    void record(Handle handle, List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        long now = clock.millis();
        PreparedBatch batch = handle.prepareBatch("INSERT INTO outbox (event_id, sku, type, payload, state, "
                + "recorded_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, 'P', ?, 0, ?)");
        for (Event event : events) {
            batch.add(UUID.randomUUID().toString(), OutgoingEvents.skuOf(event).orElseThrow(), EventText.type(event),
                    EventText.payload(event), now, now);
        }
        batch.execute();
    }

    /** Tells the listeners that a unit of work committed events. */
    void committed() {
        listeners.forEach(Runnable::run);
    }

    /** Tells the listeners that a dead event was republished or purged, which released its sku. */
    private void released() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onPending(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Unless the last claim took something (events keep coming), looks first without a lock, in a
     * read-only transaction: a relay that finds nothing due (most polls) costs the database no commit.
     * Then, under the lock, walks again and takes.
     */
    @Override
    public List<OutboxEvent> claim(int limit, Instant now, Instant claimUntil) {
        if (!busy && read(handle -> walk(handle, limit, now)).isEmpty()) {
            return List.of();
        }
        List<OutboxEvent> claimed = relayWrite(handle -> {
            handle.createQuery("SELECT id FROM outbox_claims WHERE id = 1 FOR UPDATE").mapTo(Integer.class).one();
            List<OutboxEvent> taken = walk(handle, limit, now);
            if (!taken.isEmpty()) {
                handle.createUpdate("UPDATE outbox SET claimed_until = :until WHERE id IN (<ids>)")
                        .bind("until", claimUntil.toEpochMilli())
                        .bindList("ids", taken.stream().map(OutboxEvent::position).toList())
                        .execute();
            }
            return taken.stream().map(event -> claimed(event, claimUntil)).toList();
        });
        busy = !claimed.isEmpty();
        return claimed;
    }

    /**
     * The pending events {@link OutboxClaim} takes, a page at a time, at most {@link OutboxClaim#PAGES} pages,
     * told first of each sku's oldest dead event. Each page leaves out the skus the claim already waits
     * for, so that a long queue behind a dead or retried event costs one page, not the whole walk.
     */
    private static List<OutboxEvent> walk(Handle handle, int limit, Instant now) {
        OutboxClaim claim = new OutboxClaim(limit, now);
        handle.createQuery("SELECT sku, MIN(id) AS first_dead FROM outbox WHERE state = 'D' GROUP BY sku")
                .map((rs, ctx) -> new FirstDead(rs.getString("sku"), rs.getLong("first_dead")))
                .forEach(dead -> claim.holdBack(dead.sku(), dead.position()));
        long after = 0;
        for (int page = 0; page < OutboxClaim.PAGES; page++) {
            Set<String> waiting = claim.waiting();
            Query query = handle.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE state = 'P' AND id > :after"
                            + (waiting.isEmpty() ? "" : " AND sku NOT IN (<waiting>)") + " ORDER BY id LIMIT :limit")
                    .bind("after", after).bind("limit", limit);
            if (!waiting.isEmpty()) {
                query.bindList("waiting", List.copyOf(waiting));
            }
            List<OutboxEvent> pending = query.map((rs, ctx) -> event(rs)).list();
            for (OutboxEvent event : pending) {
                after = event.position();
                if (!claim.offer(event)) {
                    return claim.taken();
                }
            }
            if (pending.size() < limit) {
                break;
            }
        }
        return claim.taken();
    }

    private record FirstDead(String sku, long position) {
    }

    @Override
    public void markPublished(List<OutboxEvent> events, Instant at) {
        relayWrite(handle -> handle.createUpdate("UPDATE outbox SET state = 'S', done_at = :at, claimed_until = NULL "
                        + "WHERE id IN (<ids>) AND state = 'P'")
                .bind("at", at.toEpochMilli())
                .bindList("ids", events.stream().map(OutboxEvent::position).toList())
                .execute());
    }

    @Override
    public void retryLater(OutboxEvent event, String error, Instant nextAttemptAt) {
        relayWrite(handle -> handle.createUpdate("UPDATE outbox SET attempts = attempts + 1, last_error = :error, "
                        + "next_attempt_at = :next, claimed_until = NULL WHERE id = :id AND state = 'P'")
                .bind("error", error).bind("next", nextAttemptAt.toEpochMilli()).bind("id", event.position())
                .execute());
    }

    @Override
    public void markDead(OutboxEvent event, String error, Instant at) {
        relayWrite(handle -> handle.createUpdate("UPDATE outbox SET state = 'D', attempts = attempts + 1, "
                        + "last_error = :error, done_at = :at, claimed_until = NULL WHERE id = :id AND state = 'P'")
                .bind("error", error).bind("at", at.toEpochMilli()).bind("id", event.position())
                .execute());
    }

    @Override
    public void release(List<OutboxEvent> events) {
        relayWrite(handle -> handle.createUpdate("UPDATE outbox SET claimed_until = NULL WHERE id IN (<ids>)")
                .bindList("ids", events.stream().map(OutboxEvent::position).toList())
                .execute());
    }

    @Override
    public int deletePublished(Instant before, int limit) {
        return relayWrite(handle -> handle.createUpdate("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
                        + "WHERE state = 'S' AND done_at < :before ORDER BY id LIMIT :limit)")
                .bind("before", before.toEpochMilli()).bind("limit", limit)
                .execute());
    }

    @Override
    public OutboxBacklog backlog(Instant now) {
        return read(handle -> {
            long pending = handle.createQuery("SELECT COUNT(*) FROM outbox WHERE state = 'P'")
                    .mapTo(Long.class).one();
            Long oldest = handle.createQuery("SELECT MIN(recorded_at) FROM outbox WHERE state = 'P'")
                    .mapTo(Long.class).one();
            long dead = handle.createQuery("SELECT COUNT(*) FROM outbox WHERE state = 'D'")
                    .mapTo(Long.class).one();
            Duration age = oldest == null ? Duration.ZERO
                    : Duration.ofMillis(Math.max(0, now.toEpochMilli() - oldest));
            return new OutboxBacklog(pending, age, dead);
        });
    }

    @Override
    public List<OutboxEvent> dead(int limit) {
        return read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM outbox WHERE state = 'D' ORDER BY id LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> event(rs)).list());
    }

    @Override
    public boolean republish(String eventId, Instant now) {
        boolean found = write(handle -> handle.createUpdate("UPDATE outbox SET state = 'P', attempts = 0, "
                        + "next_attempt_at = :now, done_at = NULL, claimed_until = NULL "
                        + "WHERE event_id = :id AND state = 'D'")
                .bind("now", now.toEpochMilli()).bind("id", eventId)
                .execute()) > 0;
        if (found) {
            released();
        }
        return found;
    }

    @Override
    public boolean purge(String eventId) {
        boolean found = write(handle -> handle.createUpdate("DELETE FROM outbox WHERE event_id = :id AND state = 'D'")
                .bind("id", eventId).execute()) > 0;
        if (found) {
            released();
        }
        return found;
    }

    @Override
    public int purgeDead() {
        int purged = write(handle -> handle.createUpdate("DELETE FROM outbox WHERE state = 'D'").execute());
        if (purged > 0) {
            released();
        }
        return purged;
    }

    private static OutboxEvent event(ResultSet rs) throws SQLException {
        long claimedUntil = rs.getLong("claimed_until");
        boolean unclaimed = rs.wasNull();
        return new OutboxEvent(rs.getLong("id"), rs.getString("event_id"), rs.getString("sku"),
                EventText.event(rs.getString("type"), rs.getString("payload")),
                Instant.ofEpochMilli(rs.getLong("recorded_at")), rs.getInt("attempts"),
                Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
                unclaimed ? null : Instant.ofEpochMilli(claimedUntil), rs.getString("last_error"));
    }

    private static OutboxEvent claimed(OutboxEvent event, Instant until) {
        return new OutboxEvent(event.position(), event.eventId(), event.sku(), event.event(), event.recordedAt(),
                event.attempts(), event.nextAttemptAt(), until, event.lastError());
    }

    /**
     * Runs the relay's bookkeeping in a transaction of its own whose commit does not wait for the disk
     * ({@link Dialect#relaxCommit}): should the database crash and lose it, the events it marked are
     * claimed and published again, as at least once allows. A command's events are recorded durably.
     */
    private <T> T relayWrite(HandleCallback<T, RuntimeException> work) {
        return write(handle -> {
            database.dialect().relaxCommit(handle);
            return work.withHandle(handle);
        });
    }

    /** Runs {@code work} in a transaction of its own, committed at the end. */
    private <T> T write(HandleCallback<T, RuntimeException> work) {
        return database.read(handle -> database.writes().call(() -> handle.inTransaction(work)));
    }

    private <T> T read(HandleCallback<T, RuntimeException> work) {
        return database.read(work::withHandle);
    }
}
