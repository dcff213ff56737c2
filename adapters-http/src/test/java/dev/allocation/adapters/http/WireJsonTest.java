package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.events.Allocated;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bytes of the HTTP edge's JSON are those Jackson 2 wrote: Jackson 3's other defaults are set back. */
class WireJsonTest {

    @Test
    void slashes_are_not_escaped_and_a_character_outside_the_bmp_is_two_escapes() {
        byte[] written = WireJson.MAPPER.writeValueAsBytes(
                WireJson.MAPPER.createObjectNode().put("message", "batch-a/b \uD83D\uDE00 é").putNull("eta"));

        assertThat(new String(written, StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"batch-a/b \\uD83D\\uDE00 é\",\"eta\":null}");
    }

    @Test
    void an_events_fields_keep_the_order_of_its_record() {
        assertThat(WireJson.MAPPER.valueToTree(new Allocated("o1", "LAMP", 10, "b1")).toString())
                .isEqualTo("{\"orderId\":\"o1\",\"sku\":\"LAMP\",\"qty\":10,\"batchRef\":\"b1\"}");
    }

    @Test
    void a_duplicate_key_and_a_bad_field_name_are_told_in_the_apis_words() {
        RequestBodies bodies = new RequestBodies();

        assertThatThrownBy(() -> bodies.allocate("{\"orderid\":\"o\",\"sku\":\"A\",\"sku\":\"A\",\"qty\":1}"
                .getBytes(StandardCharsets.UTF_8)))
                .hasMessage("Malformed JSON: Duplicate field 'sku' (line 1, column 31)");
        assertThatThrownBy(() -> bodies.allocate("{a:1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("Malformed JSON: Unexpected character ('a' (code 97)): was expecting double-quote"
                        + " to start field name (line 1, column 2)");
    }
}
