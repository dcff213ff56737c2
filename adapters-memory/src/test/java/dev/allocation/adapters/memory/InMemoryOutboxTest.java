package dev.allocation.adapters.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What only the outbox in memory promises: its memory stays bounded however many events pass through. */
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
}
