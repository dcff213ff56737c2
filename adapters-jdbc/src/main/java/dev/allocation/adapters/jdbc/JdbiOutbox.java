package dev.allocation.adapters.jdbc;

import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.application.outbox.OutboxBuckets;
import dev.allocation.application.outbox.OutboxClaim;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.outbox.OutgoingEvents;
import dev.allocation.domain.events.Event;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox in the {@code outbox} table. A unit of work records its events there in its own
 * transaction ({@link #record}). The relays of several instances share it by {@value #BUCKETS} buckets
 * ({@link OutboxBuckets}): a sku's bucket is a hash of it ({@link Dialect#bucketOf}); each relay renews
 * its lease in {@code outbox_buckets} and its life in {@code outbox_relays} while it claims, and a claim
 * locks the rows of its own buckets for its few milliseconds, so that claims of one bucket take turns
 * (the second part of the order per sku, {@link dev.allocation.application.outbox}) while relays of
 * different buckets never wait on each other.
 */
final class JdbiOutbox implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(JdbiOutbox.class);

    /** The buckets the skus fall into: the rows of {@code outbox_buckets}. */
    static final int BUCKETS = 64;

    /**
     * The rows a relay deletes or marks between two vacuums of the outbox ({@link Dialect#vacuumOutbox}):
     * few enough that a claim steps over only as many dead entries, many enough that the vacuum, which
     * reads the outbox's small indexes whole, is rare.
     */
    static final int VACUUM_AFTER = 5_000;

    private static final String COLUMNS = "id, event_id, sku, sku_sequence, type, payload, recorded_at, attempts, "
            + "next_attempt_at, claimed_until, last_error";

    private final Database database;
    /** Whether the {@code id}s may disagree with a sku's order: then each claim checks it ({@link #inSkuOrder}). */
    private final boolean distributed;
    private final Clock clock = Clock.systemUTC();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final String relayId = UUID.randomUUID().toString();
    private volatile boolean busy;
    /** The buckets this relay held a lease on at its last renewal. */
    private volatile Set<Integer> held = Set.of();
    private volatile long nextRenewal;
    private final Object renewing = new Object();
    /** The rows this relay deleted or marked since it last vacuumed the outbox. */
    private final AtomicLong doneSinceVacuum = new AtomicLong();
    private final AtomicBoolean vacuumRefusalLogged = new AtomicBoolean();

    JdbiOutbox(Database database, boolean distributed) {
        this.database = database;
        this.distributed = distributed;
    }

    /**
     * Records the events of a unit of work among its {@code writes}, in its transaction, each with its place
     * in its sku's order: the version its product commits at ({@code versions}, by sku), the events of one
     * unit ordered among themselves by {@code id} (migration 8).
     */
    void record(Writes writes, List<Event> events, Map<String, Long> versions) {
        long now = clock.millis();
        for (Event event : events) {
            String sku = OutgoingEvents.skuOf(event).orElseThrow();
            Long version = versions.get(sku);
            if (version == null) {
                throw new IllegalStateException("An outgoing event of sku " + sku + " without its product in the unit");
            }
            writes.add("INSERT INTO outbox (event_id, sku, sku_sequence, type, payload, state, recorded_at, attempts, "
                            + "next_attempt_at) VALUES (?, ?, ?, ?, ?, 'P', ?, 0, ?)",
                    UUID.randomUUID().toString(), sku, version, EventText.type(event), EventText.payload(event), now, now);
        }
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
     * Renews this relay's buckets when due, then, unless the last claim took something (events keep
     * coming), looks first without a lock, in a read-only transaction: a relay that finds nothing due
     * (most polls) costs the database no commit. Then, with the rows of its buckets locked, walks again
     * and takes.
     */
    @Override
    public List<OutboxEvent> claim(int limit, Instant now, Instant claimUntil) {
        renewWhenDue(Duration.between(now, claimUntil));
        Set<Integer> buckets = held;
        if (buckets.isEmpty() || !busy && read(handle -> walk(handle, buckets, limit, now)).isEmpty()) {
            return List.of();
        }
        List<OutboxEvent> claimed = relayWrite(handle -> {
            database.dialect().shareClaims(handle);
            Set<Integer> locked = Set.copyOf(handle.createQuery("SELECT bucket FROM outbox_buckets "
                            + "WHERE relay_id = :relay AND lease_until > :now ORDER BY bucket FOR UPDATE")
                    .bind("relay", relayId).bind("now", clock.millis())
                    .mapTo(Integer.class).list());
            List<OutboxEvent> taken = locked.isEmpty() ? List.of() : walk(handle, locked, limit, now);
            if (!taken.isEmpty()) {
                handle.createUpdate("UPDATE outbox SET claimed_until = :until WHERE id = ANY(:ids)")
                        .bind("until", claimUntil.toEpochMilli())
                        .bindArray("ids", Long.class, positions(taken))
                        .execute();
            }
            return taken.stream().map(event -> claimed(event, claimUntil)).toList();
        });
        busy = !claimed.isEmpty();
        return claimed;
    }

    /**
     * Every eighth of a lease: renews this relay's life and its buckets' leases for a {@code lease}, lets
     * go of those above its share, and takes free ones below it ({@link OutboxBuckets#plan}). A renewal
     * that fails (a deadlock with another's, an outage) leaves the buckets as they were until the next.
     */
    private void renewWhenDue(Duration lease) {
        if (clock.millis() < nextRenewal) {
            return;
        }
        synchronized (renewing) {   // claims at once on this outbox wait for one renewal, then share it
            long now = clock.millis();
            if (now < nextRenewal) {
                return;
            }
            try {
                held = renew(now, now + lease.toMillis(), now - 10 * lease.toMillis());
            } catch (RuntimeException e) {
                log.debug("Renewing the outbox relay's buckets failed; tried again at its next claim: {}",
                        e.toString());
            }
            nextRenewal = now + Math.max(1, lease.toMillis() / 8);
        }
    }

    /**
     * Renews this relay's life and the leases it keeps {@code until}, forgets the relays dead since
     * {@code longAgo}, and applies the plan; returns the buckets it holds now.
     */
    private Set<Integer> renew(long now, long until, long longAgo) {
        return relayWrite(handle -> {
            if (handle.createUpdate("UPDATE outbox_relays SET alive_until = :until WHERE relay_id = :relay")
                    .bind("until", until).bind("relay", relayId).execute() == 0) {
                handle.createUpdate("INSERT INTO outbox_relays (relay_id, alive_until) VALUES (:relay, :until)")
                        .bind("relay", relayId).bind("until", until).execute();
            }
            handle.createUpdate("DELETE FROM outbox_relays WHERE alive_until < :long_ago")
                    .bind("long_ago", longAgo).execute();
            List<String> live = handle.createQuery("SELECT relay_id FROM outbox_relays WHERE alive_until > :now")
                    .bind("now", now).mapTo(String.class).list();
            List<OutboxBuckets.Lease> leases = handle.createQuery("SELECT bucket, relay_id, lease_until "
                            + "FROM outbox_buckets ORDER BY bucket")
                    .map((rs, ctx) -> new OutboxBuckets.Lease(rs.getInt("bucket"), rs.getString("relay_id"),
                            Instant.ofEpochMilli(rs.getLong("lease_until"))))
                    .list();
            OutboxBuckets.Plan plan = OutboxBuckets.plan(relayId, live, leases, Instant.ofEpochMilli(now));
            if (!plan.release().isEmpty()) {
                handle.createUpdate("UPDATE outbox_buckets SET relay_id = NULL, lease_until = 0 "
                                + "WHERE bucket IN (<buckets>) AND relay_id = :relay")
                        .bindList("buckets", List.copyOf(plan.release())).bind("relay", relayId).execute();
            }
            if (!plan.hold().isEmpty()) {
                handle.createUpdate("UPDATE outbox_buckets SET relay_id = :relay, lease_until = :until "
                                + "WHERE bucket IN (<buckets>) AND (relay_id = :relay OR relay_id IS NULL "
                                + "OR lease_until <= :now)")
                        .bindList("buckets", List.copyOf(plan.hold())).bind("relay", relayId)
                        .bind("until", until).bind("now", now).execute();
            }
            return Set.copyOf(handle.createQuery("SELECT bucket FROM outbox_buckets WHERE relay_id = :relay")
                    .bind("relay", relayId).mapTo(Integer.class).list());
        });
    }

    /** The id this relay holds its buckets and its life by. */
    String relayId() {
        return relayId;
    }

    /** Lets go of this relay's buckets and its life, for the relays of other instances to take at once. */
    @Override
    public void leave() {
        held = Set.of();
        nextRenewal = 0;
        relayWrite(handle -> {
            handle.createUpdate("UPDATE outbox_buckets SET relay_id = NULL, lease_until = 0 WHERE relay_id = :relay")
                    .bind("relay", relayId).execute();
            return handle.createUpdate("DELETE FROM outbox_relays WHERE relay_id = :relay")
                    .bind("relay", relayId).execute();
        });
    }

    /**
     * The pending events of {@code buckets} that {@link OutboxClaim} takes, a page at a time, at most {@link OutboxClaim#PAGES} pages,
     * told first of each sku's oldest dead event. Each page leaves out the skus the claim already waits
     * for, so that a long queue behind a dead or retried event costs one page, not the whole walk.
     */
    private List<OutboxEvent> walk(Handle handle, Set<Integer> buckets, int limit, Instant now) {
        Map<Long, Long> sequences = new HashMap<>();
        List<OutboxEvent> taken = walkById(handle, buckets, limit, now, sequences);
        return distributed ? inSkuOrder(handle, taken, sequences) : taken;
    }

    /**
     * The walk in the order recorded ({@code id}); where that may not be each sku's order
     * ({@link #distributed}), it notes each event's place in its sku's order in {@code sequences}.
     */
    private List<OutboxEvent> walkById(Handle handle, Set<Integer> buckets, int limit, Instant now,
                                       Map<Long, Long> sequences) {
        String ofBuckets = buckets.size() == BUCKETS ? ""
                : " AND " + database.dialect().bucketOf("sku", BUCKETS) + " IN (<buckets>)";
        OutboxClaim claim = new OutboxClaim(limit, now);
        handle.createQuery("SELECT sku, MIN(id) AS first_dead FROM outbox WHERE state = 'D' GROUP BY sku")
                .map((rs, ctx) -> new FirstDead(rs.getString("sku"), rs.getLong("first_dead")))
                .forEach(dead -> claim.holdBack(dead.sku(), dead.position()));
        long after = 0;
        for (int page = 0; page < OutboxClaim.PAGES; page++) {
            Set<String> waiting = claim.waiting();
            Query query = handle.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE state = 'P' AND id > :after"
                            + ofBuckets + (waiting.isEmpty() ? "" : " AND sku NOT IN (<waiting>)")
                            + " ORDER BY id LIMIT :limit")
                    .bind("after", after).bind("limit", limit);
            if (!ofBuckets.isEmpty()) {
                query.bindList("buckets", List.copyOf(buckets));
            }
            if (!waiting.isEmpty()) {
                query.bindList("waiting", List.copyOf(waiting));
            }
            List<OutboxEvent> pending = query.map((rs, ctx) -> {
                if (distributed) {
                    sequences.put(rs.getLong("id"), rs.getLong("sku_sequence"));
                }
                return event(rs);
            }).list();
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

    /**
     * The events the walk took, each sku's in its order, {@code (sku_sequence, id)} (migration 8), in the
     * places the walk gave that sku's events, for a database whose {@code id}s come from several nodes
     * ({@link JdbiStorage.Builder#distributed}; on one database the order recorded is each sku's order
     * already, and the walk stands as it is). There a sku's events may be walked out of its order: one query
     * counts, for each sku taken, the pending events before the last one taken, and a sku with any
     * besides those taken has an earlier event the walk did not reach or could not take, and waits for a
     * later claim.
     */
    private List<OutboxEvent> inSkuOrder(Handle handle, List<OutboxEvent> taken, Map<Long, Long> sequences) {
        if (taken.isEmpty()) {
            return taken;
        }
        Comparator<OutboxEvent> order = Comparator.comparingLong((OutboxEvent event) -> sequences.get(event.position()))
                .thenComparingLong(OutboxEvent::position);
        Map<String, List<OutboxEvent>> bySku = new LinkedHashMap<>();
        taken.forEach(event -> bySku.computeIfAbsent(event.sku(), sku -> new ArrayList<>()).add(event));
        bySku.values().forEach(events -> events.sort(order));
        StringBuilder values = new StringBuilder();
        List<Object> bounds = new ArrayList<>();
        bySku.forEach((sku, events) -> {
            OutboxEvent last = events.get(events.size() - 1);
            values.append(values.length() == 0 ? "" : ", ")
                    .append("(CAST(? AS VARCHAR(255)), CAST(? AS BIGINT), CAST(? AS BIGINT))");
            bounds.addAll(List.of(sku, sequences.get(last.position()), last.position()));
        });
        Map<String, Long> before = new HashMap<>();
        // one probe of the index on (sku, sku_sequence, id) a sku, which finds nothing before in the usual case
        Sql.list(handle, "SELECT t.sku, (SELECT COUNT(*) FROM outbox o WHERE o.sku = t.sku AND o.state = 'P' "
                        + "AND (o.sku_sequence, o.id) < (t.seq, t.id)) FROM (VALUES " + values + ") AS t (sku, seq, id)",
                rs -> Map.entry(rs.getString(1), rs.getLong(2)), bounds.toArray())
                .forEach(count -> before.put(count.getKey(), count.getValue()));
        Map<String, Iterator<OutboxEvent>> next = new HashMap<>();
        bySku.forEach((sku, events) -> {
            if (before.getOrDefault(sku, 0L) == events.size() - 1) {
                next.put(sku, events.iterator());
            }
        });
        List<OutboxEvent> ordered = new ArrayList<>(taken.size());
        for (OutboxEvent event : taken) {
            Iterator<OutboxEvent> ofSku = next.get(event.sku());
            if (ofSku != null) {
                ordered.add(ofSku.next());
            }
        }
        return ordered;
    }

    private record FirstDead(String sku, long position) {
    }

    @Override
    public void markPublished(List<OutboxEvent> events, Instant at) {
        done(relayWrite(handle -> handle.createUpdate("UPDATE outbox SET state = 'S', done_at = :at, "
                        + "claimed_until = NULL WHERE id = ANY(:ids) AND state = 'P'")
                .bind("at", at.toEpochMilli())
                .bindArray("ids", Long.class, positions(events))
                .execute()));
    }

    /**
     * Deletes the rows at once: a delete only ends each row's version, where a mark writes a new one, with
     * entries in the outbox's indexes, and leaves a delete for later.
     */
    @Override
    public void deletePublished(List<OutboxEvent> events) {
        done(relayWrite(handle -> handle.createUpdate("DELETE FROM outbox WHERE id = ANY(:ids) AND state = 'P'")
                .bindArray("ids", Long.class, positions(events))
                .execute()));
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
        relayWrite(handle -> handle.createUpdate("UPDATE outbox SET claimed_until = NULL WHERE id = ANY(:ids)")
                .bindArray("ids", Long.class, positions(events))
                .execute());
    }

    @Override
    public int deletePublished(Instant before, int limit) {
        return done(relayWrite(handle -> handle.createUpdate("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
                        + "WHERE state = 'S' AND done_at < :before ORDER BY id LIMIT :limit)")
                .bind("before", before.toEpochMilli()).bind("limit", limit)
                .execute()));
    }

    /**
     * Counts {@code rows} deleted or marked, and vacuums the outbox once they add up to
     * {@value #VACUUM_AFTER}; returns {@code rows}.
     */
    private int done(int rows) {
        if (rows > 0 && doneSinceVacuum.addAndGet(rows) >= VACUUM_AFTER
                && doneSinceVacuum.getAndSet(0) >= VACUUM_AFTER) {   // one caller wins
            database.dialect().vacuumOutbox().ifPresent(this::vacuum);
        }
        return rows;
    }

    /**
     * Runs {@code vacuum} on a connection of its own, outside any transaction. It only ever helps: a
     * vacuum that fails (an outage, a statement timeout) waits for the next count, and a server that
     * refuses it to this user (who may not own the table) is said once, as a warning.
     */
    private void vacuum(String vacuum) {
        try {
            String refused = database.read(handle -> {
                try (Statement statement = handle.getConnection().createStatement()) {
                    statement.execute(vacuum);
                    SQLWarning warning = statement.getWarnings();
                    return warning == null ? null : warning.getMessage();
                } catch (SQLException e) {
                    throw Sql.failure(vacuum, e);
                }
            });
            if (refused != null && vacuumRefusalLogged.compareAndSet(false, true)) {
                log.warn("The outbox relay may not vacuum the outbox table ({}). Deleted events stay in its indexes "
                        + "until autovacuum removes them, and each claim steps over them: let the table's owner, "
                        + "the database's owner or a role with MAINTAIN on it (PostgreSQL 17) run the relay, "
                        + "or vacuum outbox often", refused);
            }
        } catch (RuntimeException e) {
            log.debug("Vacuuming the outbox failed; tried again after {} more events: {}", VACUUM_AFTER, e.toString());
        }
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

    /**
     * The positions of {@code events}, bound as one array ({@code id = ANY(:ids)}): one statement text
     * whatever their number, which PostgreSQL prepares and plans once, where a list of parameters made a
     * new text, planned again, for each size of a batch.
     */
    private static List<Long> positions(List<OutboxEvent> events) {
        return events.stream().map(OutboxEvent::position).toList();
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
