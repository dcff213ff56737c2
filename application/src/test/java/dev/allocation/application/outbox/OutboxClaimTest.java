package dev.allocation.application.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.domain.events.Allocated;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one claim rule every store applies: commit order per sku, and a walk that stays bounded. */
class OutboxClaimTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void a_sku_whose_oldest_event_waits_gives_no_later_one_while_other_skus_go_on() {
        OutboxClaim claim = new OutboxClaim(10, NOW);

        claim.offer(event(1, "LAMP", NOW.plusSeconds(5)));   // retried later
        claim.offer(event(2, "TABLE", NOW));
        claim.offer(event(3, "LAMP", NOW));

        assertThat(claim.taken()).extracting(OutboxEvent::position).containsExactly(2L);
    }

    @Test
    void a_sku_with_a_dead_event_gives_none_of_its_later_events_while_other_skus_go_on() {
        OutboxClaim claim = new OutboxClaim(10, NOW);
        claim.holdBack("LAMP", 2);

        claim.offer(event(1, "LAMP", NOW));   // recorded before the dead one
        claim.offer(event(3, "LAMP", NOW));
        claim.offer(event(4, "TABLE", NOW));
        claim.offer(event(5, "LAMP", NOW));

        assertThat(claim.taken()).extracting(OutboxEvent::position).containsExactly(1L, 4L);
        assertThat(claim.waiting()).containsExactly("LAMP");
    }

    @Test
    void a_sku_is_held_back_from_its_oldest_dead_event() {
        OutboxClaim claim = new OutboxClaim(10, NOW);
        claim.holdBack("LAMP", 7);
        claim.holdBack("LAMP", 3);

        claim.offer(event(2, "LAMP", NOW));
        claim.offer(event(5, "LAMP", NOW));

        assertThat(claim.taken()).extracting(OutboxEvent::position).containsExactly(2L);
    }

    @Test
    void a_claim_stops_once_full() {
        OutboxClaim claim = new OutboxClaim(2, NOW);

        assertThat(claim.offer(event(1, "A", NOW))).isTrue();
        assertThat(claim.offer(event(2, "B", NOW))).isFalse();
        assertThat(claim.taken()).hasSize(2);
    }

    @Test
    void a_claim_looks_at_no_more_than_its_pages_however_many_events_wait() {
        OutboxClaim claim = new OutboxClaim(3, NOW);
        int looked = 0;
        for (long position = 1; position <= 1_000; position++) {
            looked++;
            if (!claim.offer(event(position, "SKU-" + position, NOW.plusSeconds(60)))) {   // none due
                break;
            }
        }

        assertThat(looked).isEqualTo(OutboxClaim.PAGES * 3);
        assertThat(claim.taken()).isEmpty();
    }

    private static OutboxEvent event(long position, String sku, Instant due) {
        return new OutboxEvent(position, "e" + position, sku, new Allocated("o" + position, sku, 1, "b"), NOW, 0, due,
                null, null);
    }
}
