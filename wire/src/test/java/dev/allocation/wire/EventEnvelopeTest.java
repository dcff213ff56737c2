package dev.allocation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.OutOfStock;
import org.junit.jupiter.api.Test;

/** The outbox's text of an event: versioned JSON whose data is what the brokers receive. */
class EventEnvelopeTest {

    private static final Allocated ALLOCATED = new Allocated("order-1", "RED-CHAIR", 10, "batch-1");

    @Test
    void an_event_is_kept_as_its_version_its_type_and_its_published_json() {
        assertThat(EventEnvelope.write(ALLOCATED)).isEqualTo("{\"version\":1,\"type\":\"Allocated\",\"data\":"
                + EventJson.text(ALLOCATED) + "}");
        assertThat(EventEnvelope.type(ALLOCATED)).isEqualTo("Allocated");
    }

    @Test
    void what_is_written_is_read_back_exactly_whatever_the_ids_hold() {
        for (Allocated event : new Allocated[] {ALLOCATED,
                new Allocated("o&sku=x%20=", "a\"b\\c/d", Integer.MAX_VALUE, "\u00e9\u200b-\uD83D\uDE00-'; DROP"),
                new Allocated("o".repeat(255), "s".repeat(255), 1, "b".repeat(255))}) {
            String text = EventEnvelope.write(event);

            assertThat(EventEnvelope.isEnvelope(text)).isTrue();
            assertThat(EventEnvelope.read(text)).isEqualTo(event);
        }
    }

    @Test
    void no_id_can_make_the_text_readable_as_the_form_before_versions() {
        Allocated forged = new Allocated("=&orderId=evil&sku=LAMP&qty=1&batchRef=b1&x=", "LAMP", 2, "a=b&c");

        String text = EventEnvelope.write(forged);

        assertThat(text).doesNotContain("&", "=")
                .contains("\\u003D\\u0026orderId\\u003Devil");
        assertThat(EventEnvelope.read(text)).isEqualTo(forged);
    }

    @Test
    void the_largest_event_fits_the_outbox_column_of_8000_characters() {
        String quotes = "\"".repeat(255);   // each written as two characters

        assertThat(EventEnvelope.write(new Allocated(quotes, quotes, Integer.MAX_VALUE, quotes))).hasSizeLessThan(8000);
    }

    @Test
    void fields_a_later_release_adds_are_ignored() {
        assertThat(EventEnvelope.read("{\"version\":1,\"type\":\"Allocated\",\"recorded\":\"now\",\"data\":"
                + "{\"orderid\":\"order-1\",\"sku\":\"RED-CHAIR\",\"qty\":10,\"batchref\":\"batch-1\",\"note\":1}}"))
                .isEqualTo(ALLOCATED);
    }

    @Test
    void a_version_or_a_type_it_does_not_know_is_refused_never_misread() {
        assertThatThrownBy(() -> EventEnvelope.read("{\"version\":2,\"type\":\"Allocated\",\"data\":{}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An outbox event of version 2, which this release does not read (it reads version 1)");
        assertThatThrownBy(() -> EventEnvelope.read("{\"version\":1,\"type\":\"Reserved\",\"data\":{}}"))
                .hasMessage("An outbox event of unknown type Reserved");
        assertThatThrownBy(() -> EventEnvelope.read("{\"type\":\"Allocated\",\"data\":{}}"))
                .hasMessage("Missing field version");
        assertThatThrownBy(() -> EventEnvelope.read("{\"version\":\"1\",\"type\":\"Allocated\",\"data\":{}}"))
                .hasMessage("version must be an integer, was a string (\"1\")");
    }

    @Test
    void a_malformed_envelope_is_refused_naming_what_is_wrong() {
        assertThatThrownBy(() -> EventEnvelope.read("[]")).hasMessage("The outbox event must be a JSON object, was an array");
        assertThatThrownBy(() -> EventEnvelope.read("{\"version\":1,\"type\":\"Allocated\",\"data\":[]}"))
                .hasMessage("data must be an object, was an array");
        assertThatThrownBy(() -> EventEnvelope.read("{\"version\":1,\"type\":\"Allocated\",\"data\":"
                + "{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":\"1\",\"batchref\":\"b1\"}}"))
                .hasMessage("qty must be an integer, was a string (\"1\")");
        assertThatThrownBy(() -> EventEnvelope.read("{\"version\":1,\"type\":\"Allocated\",\"data\":"
                + "{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":0,\"batchref\":\"b1\"}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qty");
    }

    @Test
    void only_the_events_that_leave_the_service_are_recorded() {
        assertThatThrownBy(() -> EventEnvelope.write(new OutOfStock("LAMP")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The outbox does not record a OutOfStock");
    }

    @Test
    void the_form_before_versions_is_told_apart_from_an_envelope() {
        assertThat(EventEnvelope.isEnvelope("orderId=o1&sku=LAMP&qty=1&batchRef=b1")).isFalse();
    }
}
