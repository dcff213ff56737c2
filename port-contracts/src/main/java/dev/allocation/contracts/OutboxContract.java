package dev.allocation.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.outbox.Outbox;
import dev.allocation.application.outbox.OutboxClaim;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.outbox.OutboxQueue;
import dev.allocation.application.port.Storage;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every storage adapter's {@link Outbox} must do: record a unit's integration events in its
 * commit, and give them to relays oldest first, in commit order per sku, never to two relays at once,
 * none past a dead event of its sku, retried, marked dead, republished and purged as asked, and tell the
 * relays when events become pending. Extend it as {@link StorageContract}.
 */
public abstract class OutboxContract {

    private static final Duration CLAIM = Duration.ofSeconds(10);

    private Storage storage;

    /** A fresh, empty storage for one test. */
    protected abstract Storage newStorage() throws Exception;

    /** Releases the storage of one test; nothing by default. */
    protected void closeStorage() throws Exception {
    }

    @BeforeEach
    final void openStorage() throws Exception {
        storage = newStorage();
    }

    @AfterEach
    final void releaseStorage() throws Exception {
        closeStorage();
    }

    @Test
    void an_allocation_is_recorded_with_its_commit() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");

        List<OutboxEvent> claimed = claim(10, Instant.now());

        assertThat(claimed).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo(new Allocated("o1", "LAMP", 1, "lamp-1"));
            assertThat(event.sku()).isEqualTo("LAMP");
            assertThat(event.eventId()).isNotBlank();
            assertThat(event.attempts()).isZero();
        });
    }

    @Test
    void hostile_strings_and_the_longest_error_survive_the_outbox() {
        String sku = "sku&=%;'\"é😀";
        String orderId = "o=1&sku=x%20" + "o".repeat(240);
        stock(sku, "batch&=%");
        allocate(sku, orderId);
        Instant now = Instant.now();
        String error = "e".repeat(OutboxQueue.MAX_ERROR_LENGTH);

        outbox().retryLater(claim(10, now).get(0), error, now);

        OutboxEvent event = claim(10, now).get(0);
        assertThat(event.event()).isEqualTo(new Allocated(orderId, sku, 1, "batch&=%"));
        assertThat(event.sku()).isEqualTo(sku);
        assertThat(event.lastError()).isEqualTo(error);
    }

    @Test
    void a_unit_rolled_back_records_nothing() {
        stock("LAMP", "lamp-1");
        try (UnitOfWork uow = storage.start()) {
            uow.products().get("LAMP").orElseThrow().allocate(new OrderLine("o1", "LAMP", 1));
            uow.rollback();
        }

        assertThat(claim(10, Instant.now())).isEmpty();
        assertThat(outbox().backlog(Instant.now()).pending()).isZero();
    }

    @Test
    void events_are_claimed_oldest_first_and_by_one_relay_at_a_time() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        Instant now = Instant.now();

        assertThat(orderIds(claim(10, now))).containsExactly("o1", "o2");
        assertThat(claim(10, now)).as("claimed already").isEmpty();
        assertThat(orderIds(claim(10, now.plus(CLAIM).plusSeconds(1))))
                .as("once the first claim lapsed").containsExactly("o1", "o2");
    }

    @Test
    void a_sku_waits_for_its_oldest_event_while_other_skus_go_on() {
        stock("LAMP", "lamp-1");
        stock("DESK", "desk-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        allocate("DESK", "o3");
        Instant now = Instant.now();
        OutboxEvent first = claim(1, now).get(0);

        outbox().retryLater(first, "broker away", now.plusSeconds(60));

        List<OutboxEvent> others = claim(10, now);
        assertThat(orderIds(others)).as("o2 waits for o1").containsExactly("o3");
        outbox().markPublished(others, now);
        List<OutboxEvent> later = claim(10, now.plusSeconds(61));
        assertThat(orderIds(later)).containsExactly("o1", "o2");
        assertThat(later.get(0).attempts()).isEqualTo(1);
        assertThat(later.get(0).lastError()).isEqualTo("broker away");
    }

    @Test
    void a_published_event_is_not_claimed_again_and_is_deleted_after_its_retention() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        Instant now = Instant.now();
        List<OutboxEvent> claimed = claim(10, now);

        outbox().markPublished(claimed, now);

        assertThat(claim(10, now.plus(CLAIM).plusSeconds(1))).isEmpty();
        assertThat(outbox().backlog(now).pending()).isZero();
        assertThat(outbox().deletePublished(now.minusSeconds(1), 100)).as("still within retention").isZero();
        assertThat(outbox().deletePublished(now.plusSeconds(1), 100)).isEqualTo(1);
    }

    @Test
    void an_event_deleted_as_published_is_not_claimed_again_and_nothing_of_it_is_kept() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        Instant now = Instant.now();
        List<OutboxEvent> claimed = claim(1, now);

        outbox().deletePublished(claimed);

        assertThat(orderIds(claim(10, now.plus(CLAIM).plusSeconds(1)))).as("o1 is gone, o2 is next")
                .containsExactly("o2");
        assertThat(outbox().backlog(now).pending()).isEqualTo(1);
        assertThat(outbox().deletePublished(now.plusSeconds(3_600), 100)).as("nothing kept for a retention").isZero();
    }

    @Test
    void a_released_event_can_be_claimed_again_at_once() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        Instant now = Instant.now();

        outbox().release(claim(10, now));

        assertThat(orderIds(claim(10, now))).containsExactly("o1");
    }

    @Test
    void a_commit_that_records_events_wakes_the_relays() {
        AtomicInteger wakes = new AtomicInteger();
        outbox().onPending(wakes::incrementAndGet);
        stock("LAMP", "lamp-1");
        assertThat(wakes).as("nothing recorded").hasValue(0);

        allocate("LAMP", "o1");

        assertThat(wakes).hasValue(1);
    }

    @Test
    void republishing_or_purging_a_dead_event_wakes_the_relays_as_its_sku_goes_on() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        Instant now = Instant.now();
        OutboxEvent first = claim(1, now).get(0);
        outbox().markDead(first, "refused", now);
        AtomicInteger wakes = new AtomicInteger();
        outbox().onPending(wakes::incrementAndGet);

        assertThat(outbox().purge("no-such-event")).isFalse();
        assertThat(wakes).as("nothing released").hasValue(0);
        assertThat(outbox().republish(first.eventId(), now)).isTrue();
        assertThat(wakes).hasValue(1);
        outbox().markDead(claim(1, now).get(0), "refused again", now);
        assertThat(outbox().purge(first.eventId())).isTrue();
        assertThat(wakes).hasValue(2);
        outbox().markDead(claim(1, now).get(0), "refused", now);
        assertThat(outbox().purgeDead()).isEqualTo(1);
        assertThat(wakes).hasValue(3);
    }

    @Test
    void a_dead_event_holds_back_the_later_events_of_its_sku_but_not_other_skus() {
        stock("LAMP", "lamp-1");
        stock("DESK", "desk-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        allocate("DESK", "o3");
        allocate("LAMP", "o4");
        Instant now = Instant.now();
        OutboxEvent first = claim(1, now).get(0);

        outbox().markDead(first, "refused", now);

        List<OutboxEvent> others = claim(10, now);
        assertThat(orderIds(others)).as("o2 and o4 wait behind o1").containsExactly("o3");
        outbox().markPublished(others, now);
        assertThat(claim(10, now.plus(CLAIM).plusSeconds(3600))).as("for as long as o1 is dead").isEmpty();
        assertThat(outbox().dead(10)).singleElement().satisfies(dead -> {
            assertThat(dead.eventId()).isEqualTo(first.eventId());
            assertThat(dead.attempts()).isEqualTo(1);
            assertThat(dead.lastError()).isEqualTo("refused");
        });
    }

    @Test
    void a_sku_held_back_by_a_dead_event_shows_in_the_backlog() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        Instant now = Instant.now();
        outbox().markDead(claim(1, now).get(0), "refused", now);

        var backlog = outbox().backlog(now.plusSeconds(600));

        assertThat(backlog.pending()).as("o2, waiting").isEqualTo(1);
        assertThat(backlog.oldestPendingAge()).isGreaterThanOrEqualTo(Duration.ofSeconds(599));
        assertThat(backlog.dead()).isEqualTo(1);
    }

    @Test
    void republishing_a_dead_event_releases_its_sku_in_commit_order() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        Instant now = Instant.now();
        OutboxEvent first = claim(1, now).get(0);
        outbox().markDead(first, "refused", now);

        assertThat(outbox().republish(first.eventId(), now)).isTrue();

        assertThat(outbox().republish(first.eventId(), now)).as("no longer dead").isFalse();
        assertThat(outbox().dead(10)).isEmpty();
        assertThat(outbox().backlog(now).dead()).isZero();
        List<OutboxEvent> released = claim(10, now);
        assertThat(orderIds(released)).containsExactly("o1", "o2");
        assertThat(released.get(0).attempts()).as("attempts start again").isZero();
    }

    @Test
    void purging_a_dead_event_releases_its_sku() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        allocate("LAMP", "o3");
        Instant now = Instant.now();
        OutboxEvent first = claim(1, now).get(0);
        outbox().markDead(first, "refused", now);
        assertThat(claim(10, now)).isEmpty();

        assertThat(outbox().purge(first.eventId())).isTrue();

        assertThat(orderIds(claim(10, now))).containsExactly("o2", "o3");
    }

    @Test
    void purging_every_dead_event_releases_every_sku() {
        stock("LAMP", "lamp-1");
        stock("DESK", "desk-1");
        allocate("LAMP", "o1");
        allocate("DESK", "o2");
        allocate("LAMP", "o3");
        allocate("DESK", "o4");
        Instant now = Instant.now();
        for (OutboxEvent event : claim(2, now)) {
            outbox().markDead(event, "refused", now);
        }
        assertThat(claim(10, now)).isEmpty();

        assertThat(outbox().purgeDead()).isEqualTo(2);

        assertThat(orderIds(claim(10, now))).containsExactly("o3", "o4");
    }

    @Test
    void an_event_recorded_before_a_dead_one_of_its_sku_is_not_held_back_by_it() {
        stock("LAMP", "lamp-1");
        allocate("LAMP", "o1");
        allocate("LAMP", "o2");
        allocate("LAMP", "o3");
        Instant now = Instant.now();
        // o1 and o2 both dead (as an older relay could leave them), then o1 republished: o1 goes, o3 waits for o2
        List<OutboxEvent> both = claim(2, now);
        both.forEach(event -> outbox().markDead(event, "refused", now));

        assertThat(outbox().republish(both.get(0).eventId(), now)).isTrue();

        assertThat(orderIds(claim(10, now))).containsExactly("o1");
    }

    @Test
    void a_long_queue_behind_a_dead_event_does_not_hold_back_other_skus() {
        stock("LAMP", "lamp-1");
        stock("DESK", "desk-1");
        allocate("LAMP", "o0");
        Instant now = Instant.now();
        outbox().markDead(claim(1, now).get(0), "refused", now);
        for (int order = 1; order <= 3 * OutboxClaim.PAGES; order++) {
            allocate("LAMP", "o" + order);
        }
        allocate("DESK", "desk-order");

        assertThat(orderIds(claim(2, Instant.now()))).containsExactly("desk-order");
    }

    @Test
    void dead_events_are_purged_one_or_all() {
        stock("LAMP", "lamp-1");
        stock("DESK", "desk-1");
        allocate("LAMP", "o1");
        allocate("DESK", "o2");
        allocate("DESK", "o3");
        Instant now = Instant.now();
        for (OutboxEvent event : claim(10, now)) {
            outbox().markDead(event, "refused", now);
        }

        assertThat(outbox().purge(outbox().dead(1).get(0).eventId())).isTrue();
        assertThat(outbox().purge("no-such-event")).isFalse();
        assertThat(outbox().purgeDead()).isEqualTo(2);
        assertThat(outbox().backlog(now).dead()).isZero();
    }

    @Test
    void the_backlog_counts_pending_and_dead_events_and_ages_the_oldest() {
        stock("LAMP", "lamp-1");
        stock("DESK", "desk-1");
        allocate("LAMP", "o1");
        allocate("DESK", "o2");
        Instant now = Instant.now();
        outbox().markDead(claim(1, now).get(0), "refused", now);

        var backlog = outbox().backlog(now.plusSeconds(30));

        assertThat(backlog.pending()).isEqualTo(1);
        assertThat(backlog.dead()).isEqualTo(1);
        assertThat(backlog.oldestPendingAge()).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(31));
    }

    @Test
    void relays_claiming_at_once_never_share_an_event_nor_a_sku() throws Exception {
        for (int sku = 0; sku < 8; sku++) {
            stock("SKU-" + sku, "batch-" + sku);
        }
        for (int order = 0; order < 40; order++) {
            allocate("SKU-" + (order % 8), "o" + order);
        }
        Instant now = Instant.now();
        List<Future<List<OutboxEvent>>> claims = new ArrayList<>();
        ExecutorService relays = Executors.newFixedThreadPool(4);
        try {
            for (int relay = 0; relay < 4; relay++) {
                claims.add(relays.submit(() -> claim(7, now)));
            }
            Map<String, Integer> relayOfSku = new HashMap<>();
            Set<String> claimed = new HashSet<>();
            for (int relay = 0; relay < 4; relay++) {
                for (OutboxEvent event : claims.get(relay).get()) {
                    assertThat(claimed.add(orderId(event))).as(orderId(event) + " claimed twice").isTrue();
                    assertThat(relayOfSku.putIfAbsent(event.sku(), relay)).as("one relay per sku").isIn(null, relay);
                }
            }
            // the first claim takes the oldest event of seven skus; the next, events of the eighth only (as
            // many as its store looks ahead for); the others nothing
            assertThat(claimed).contains("o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7").hasSizeBetween(8, 12);
            for (int sku = 0; sku < 8; sku++) {
                List<String> ofSku = new ArrayList<>();
                for (int order = sku; order < 40; order += 8) {
                    ofSku.add("o" + order);
                }
                List<String> claimedOfSku = ofSku.stream().filter(claimed::contains).toList();
                assertThat(claimedOfSku).as("the oldest events of SKU-" + sku)
                        .isEqualTo(ofSku.subList(0, claimedOfSku.size()));
            }
        } finally {
            relays.shutdownNow();
        }
    }

    private Outbox outbox() {
        return storage.outbox();
    }

    private List<OutboxEvent> claim(int limit, Instant now) {
        return outbox().claim(limit, now, now.plus(CLAIM));
    }

    private void stock(String sku, String batchRef) {
        try (UnitOfWork uow = storage.start()) {
            uow.products().add(new Product(sku, new ArrayList<>(List.of(new Batch(batchRef, sku, 1000, null)))));
            uow.commit();
        }
    }

    private void allocate(String sku, String orderId) {
        try (UnitOfWork uow = storage.start()) {
            uow.products().get(sku).orElseThrow().allocate(new OrderLine(orderId, sku, 1));
            uow.commit();
        }
    }

    private static List<String> orderIds(List<OutboxEvent> events) {
        return events.stream().map(OutboxContract::orderId).toList();
    }

    private static String orderId(OutboxEvent event) {
        return ((Allocated) event.event()).orderId();
    }
}
