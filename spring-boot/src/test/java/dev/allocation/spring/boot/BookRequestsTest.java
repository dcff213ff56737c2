package dev.allocation.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The book's request bodies, read with the service's rules and refused in its words. */
class BookRequestsTest {

    @Test
    void reads_the_books_bodies_ignoring_fields_it_does_not_know() {
        assertThat(BookRequests.allocate(utf8("{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":3,\"note\":1}")))
                .isEqualTo(new Allocate("o1", "LAMP", 3));
        assertThat(BookRequests.createBatch(utf8("{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":3,\"eta\":\"2026-01-02\"}")))
                .isEqualTo(new CreateBatch("b1", "LAMP", 3, LocalDate.of(2026, 1, 2)));
        assertThat(BookRequests.createBatch(utf8("{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":3}")).eta()).isNull();
    }

    @Test
    void refuses_what_the_service_refuses_in_its_words() {
        refused(null, "The request body must be a JSON object, was empty");
        refused("[1]", "The request body must be a JSON object, was an array");
        refused("{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":10.0}", "qty must be an integer, was a decimal number");
        refused("{\"orderid\":null,\"sku\":\"LAMP\",\"qty\":1}", "orderid must be a string, was null");
        refused("{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":1} {}", "Malformed JSON: ");
        refused("{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":99999999999}", "qty is out of range, was 99999999999");
        assertThatThrownBy(() -> BookRequests.allocate(new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}))
                .isInstanceOf(BookRequests.Refused.class)
                .hasMessage("Malformed JSON: the request body is not valid UTF-8 (at byte 3)");
        assertThatThrownBy(() -> BookRequests.createBatch(utf8("{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":3,\"eta\":\"soon\"}")))
                .isInstanceOf(BookRequests.Refused.class)
                .hasMessage("eta must be an ISO date (yyyy-mm-dd) in the years 1 to 9999, or null, was \"soon\"");
    }

    private static void refused(String body, String messageStart) {
        assertThatThrownBy(() -> BookRequests.allocate(body == null ? null : utf8(body)))
                .isInstanceOf(BookRequests.Refused.class).hasMessageStartingWith(messageStart);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
