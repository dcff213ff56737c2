package dev.allocation.adapters.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What only the outbox in memory promises: its memory stays bounded however many events pass through, and
 * of a published event it keeps only when it was published, which its retention still goes by.
 */
class InMemoryOutboxTest {

    @Test
    void it_keeps_no_more_published_events_than_its_bound_however_many_pass() {
        InMemoryOutbox outbox = new InMemoryOutbox();
        int events = InMemoryOutbox.MAX_PUBLISHED_KEPT + 5_000;
        for (int recorded = 0; recorded < events; recorded += 1_000) {
            List<Event> batch = new ArrayList<>();
            for (int i = recorded; i < recorded + 1_000; i++) {
                batch.add(new Allocated("o" + i, "SKU-" + (i % 1_000), 1, "b"));
            }
            outbox.record(batch);
            Instant now = Instant.now();
            List<OutboxEvent> claimed = outbox.claim(1_000, now, now.plusSeconds(10));
            assertThat(claimed).hasSize(1_000);
            outbox.markPublished(claimed, now);
        }

        assertThat(outbox.backlog(Instant.now()).pending()).isZero();
        assertThat(outbox.deletePublished(Instant.now().plusSeconds(1), Integer.MAX_VALUE))
                .isEqualTo(InMemoryOutbox.MAX_PUBLISHED_KEPT);
    }

    @Test
    void published_events_are_deleted_oldest_first_by_the_time_they_were_published_past_its_bound_too() {
        InMemoryOutbox outbox = new InMemoryOutbox();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        int events = InMemoryOutbox.MAX_PUBLISHED_KEPT + 2_500;   // the ring grows, fills, then wraps
        for (int recorded = 0; recorded < events; recorded += 500) {
            List<Event> batch = new ArrayList<>();
            for (int i = recorded; i < recorded + 500; i++) {
                batch.add(new Allocated("o" + i, "SKU-" + (i % 100), 1, "b"));
            }
            outbox.record(batch);
            List<OutboxEvent> claimed = outbox.claim(500, Instant.now(), Instant.now().plusSeconds(10));
            assertThat(claimed).hasSize(500);
            outbox.markPublished(claimed, start.plusSeconds(recorded / 500));   // one second per batch of 500
        }
        int firstKept = 2_500 / 500;   // the 5 oldest seconds went past the bound

        assertThat(outbox.deletePublished(start.plusSeconds(firstKept), Integer.MAX_VALUE))
                .as("none kept was published before the oldest kept").isZero();
        assertThat(outbox.deletePublished(start.plusSeconds(firstKept + 3), 1_200)).as("the limit").isEqualTo(1_200);
        assertThat(outbox.deletePublished(start.plusSeconds(firstKept + 3), Integer.MAX_VALUE))
                .as("the rest of those published before").isEqualTo(300);
        assertThat(outbox.deletePublished(start.plusSeconds(firstKept + 3), Integer.MAX_VALUE)).isZero();
        assertThat(outbox.deletePublished(Instant.MAX, Integer.MAX_VALUE))
                .isEqualTo(InMemoryOutbox.MAX_PUBLISHED_KEPT - 1_500);
    }
}
