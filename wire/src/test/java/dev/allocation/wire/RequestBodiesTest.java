package dev.allocation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The book's request bodies, read strictly, each refusal in the words the HTTP API answers with. */
class RequestBodiesTest {

    @Test
    void a_body_is_its_command_and_fields_the_api_does_not_know_are_ignored() {
        assertThat(RequestBodies.allocate(utf8("{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":3,\"note\":1}")))
                .isEqualTo(new Allocate("o1", "LAMP", 3));
        assertThat(RequestBodies.createBatch(utf8("{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":3,\"eta\":\"2026-01-02\"}")))
                .isEqualTo(new CreateBatch("b1", "LAMP", 3, LocalDate.of(2026, 1, 2)));
        assertThat(RequestBodies.createBatch(utf8("{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":3,\"eta\":null}")).eta())
                .isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                                  | The request body must be a JSON object, was empty",
        "[1]                                                 | The request body must be a JSON object, was an array",
        "{\"orderid\":\"o1\",\"sku\":\"LAMP\"}                | Missing field qty",
        "{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":\"3\"}  | qty must be an integer, was a string (\"3\")",
        "{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":3.0}    | qty must be an integer, was a decimal number",
        "{\"orderid\":null,\"sku\":\"LAMP\",\"qty\":1}        | orderid must be a string, was null",
        "{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":99999999999} | qty is out of range, was 99999999999",
        "{\"orderid\":\"o1\",\"sku\":\" \",\"qty\":1}         | sku must not be blank",
        "{\"orderid\":\"o\",\"sku\":\"A\",\"sku\":\"A\",\"qty\":1}  | Malformed JSON: Duplicate field 'sku' (line 1, column 31)",
        "{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":1} {}     | Malformed JSON: Trailing token",
    })
    void a_malformed_body_is_refused_naming_the_problem(String body, String refusal) {
        assertThatThrownBy(() -> RequestBodies.allocate(utf8(body)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(refusal);
    }

    @Test
    void bytes_that_are_not_utf8_and_a_bad_eta_are_refused_in_the_apis_words() {
        assertThatThrownBy(() -> RequestBodies.allocate(new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}))
                .hasMessage("Malformed JSON: the request body is not valid UTF-8 (at byte 3)");
        assertThatThrownBy(() -> RequestBodies.allocate(null))
                .hasMessage("The request body must be a JSON object, was empty");
        assertThatThrownBy(() -> RequestBodies.createBatch(utf8("{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":3,\"eta\":\"soon\"}")))
                .hasMessage("eta must be an ISO date (yyyy-mm-dd) in the years 1 to 9999, or null, was \"soon\"");
        assertThatThrownBy(() -> RequestBodies.createBatch(utf8("{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":3,\"eta\":1}")))
                .hasMessage("eta must be an ISO date (yyyy-mm-dd) in the years 1 to 9999, or null, was an integer");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
