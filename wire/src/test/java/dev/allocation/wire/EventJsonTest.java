package dev.allocation.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.domain.events.Allocated;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Allocated as the brokers receive it, in the contract's fields and order. */
class EventJsonTest {

    @Test
    void allocated_is_the_orderid_the_sku_the_qty_as_a_number_and_the_batchref_in_that_order() {
        Allocated allocated = new Allocated("order-1", "RED-CHAIR", 10, "batch-1");

        assertThat(EventJson.text(allocated))
                .isEqualTo("{\"orderid\":\"order-1\",\"sku\":\"RED-CHAIR\",\"qty\":10,\"batchref\":\"batch-1\"}");
        assertThat(new String(EventJson.utf8(allocated), StandardCharsets.UTF_8)).isEqualTo(EventJson.text(allocated));
    }

    @Test
    void a_slash_is_written_as_it_is_and_quotes_are_escaped() {
        assertThat(EventJson.text(new Allocated("o/1", "a\"b", 1, "b\\1")))
                .isEqualTo("{\"orderid\":\"o/1\",\"sku\":\"a\\\"b\",\"qty\":1,\"batchref\":\"b\\\\1\"}");
    }

    @Test
    void a_character_outside_the_bmp_is_two_escapes_in_bytes_and_itself_in_text() {
        Allocated allocated = new Allocated("o-\uD83D\uDE00", "LAMP", 1, "b1");

        assertThat(new String(EventJson.utf8(allocated), StandardCharsets.UTF_8))
                .isEqualTo("{\"orderid\":\"o-\\uD83D\\uDE00\",\"sku\":\"LAMP\",\"qty\":1,\"batchref\":\"b1\"}");
        assertThat(EventJson.text(allocated)).startsWith("{\"orderid\":\"o-\uD83D\uDE00\"");
    }
}
