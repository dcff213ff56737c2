package dev.allocation.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of change_batch_quantity, as JSON (a Redis channel's message, a Kafka record's value) and as
 * fields of text (a Redis stream entry) side by side: a quantity is taken in one form, a JSON integer,
 * wherever it arrives, and the refusals say what HTTP's would.
 */
class ChangeBatchQuantityMessageTest {

    @ParameterizedTest
    @ValueSource(strings = {" 60", "60 ", "+60", "060", "00", "6e1", "60.0", "0x3C", "", "-", "\u0666\u0660",
            "60\n", "1,000", "\"60\"", "3000000000", "-2147483649", "99999999999999999999"})
    void a_quantity_refused_on_the_stream_is_refused_on_the_channel_too(String qty) {
        assertThatThrownBy(() -> fromStream("batchref", "b1", "qty", qty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("qty ");
        assertThatThrownBy(() -> fromJson("{\"batchref\": \"b1\", \"qty\": " + jsonString(qty) + "}"))
                .as("as a string").isInstanceOf(IllegalArgumentException.class);
        if (qty.strip().equals(qty)) {   // spaces around a JSON number are the JSON text's, not the number's
            assertThatThrownBy(() -> fromJson("{\"batchref\": \"b1\", \"qty\": " + qty + "}"))
                    .as("as written").isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "60", "2147483647", "-0"})
    void a_quantity_written_as_a_json_integer_is_taken_on_the_stream_and_the_channel_alike(String qty) {
        ChangeBatchQuantity expected = new ChangeBatchQuantity("b1", Integer.parseInt(qty));

        assertThat(fromStream("batchref", "b1", "qty", qty)).isEqualTo(expected);
        assertThat(fromJson("{\"batchref\": \"b1\", \"qty\": " + qty + "}")).isEqualTo(expected);
    }

    @Test
    void refusals_are_worded_as_the_http_edge_words_them() {
        assertThatThrownBy(() -> fromJson("{\"batchref\": \"b1\", \"qty\": \"10\"}"))
                .hasMessage("qty must be an integer, was a string (\"10\")");
        assertThatThrownBy(() -> fromJson("{\"batchref\": \"b1\", \"qty\": 10.0}"))
                .hasMessage("qty must be an integer, was a decimal number");
        assertThatThrownBy(() -> fromJson("{\"batchref\": \"b1\", \"qty\": 3000000000}"))
                .hasMessage("qty is out of range, was 3000000000");
        assertThatThrownBy(() -> fromStream("batchref", "b1", "qty", "3000000000"))
                .hasMessage("qty is out of range, was 3000000000");
        assertThatThrownBy(() -> fromJson("{\"batchref\": \"b1\", \"qty\": 1, \"qty\": 2}"))
                .hasMessageStartingWith("Malformed JSON: Duplicate field 'qty'");
        assertThatThrownBy(() -> fromStream("batchref", "b1", "qty", "1", "qty", "2"))
                .hasMessage("Duplicate field 'qty'");
        assertThatThrownBy(() -> fromJson("{\"qty\": 1}")).hasMessage("Missing field batchref");
        assertThatThrownBy(() -> fromStream("qty", "1")).hasMessage("Missing field batchref");
        assertThatThrownBy(() -> fromJson("{\"batchref\": \" \", \"qty\": 1}")).hasMessage("batchref must not be blank");
        assertThatThrownBy(() -> fromStream("batchref", " ", "qty", "1")).hasMessage("batchref must not be blank");
        assertThatThrownBy(() -> fromStream("batchref", "b1", "qty", "-1")).hasMessage("qty must not be negative, was -1");
    }

    @Test
    void bytes_that_are_not_utf8_are_refused_where_they_are_never_replaced() {
        byte[] overlongSlash = {'{', '"', 'b', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};

        assertThatThrownBy(() -> ChangeBatchQuantityMessage.fromJson(overlongSlash, "message"))
                .hasMessage("the message is not valid UTF-8 (byte 0xC0 at 3)");
        assertThatThrownBy(() -> StrictJson.utf8(surrogate, "batchref"))
                .hasMessage("batchref is not valid UTF-8 (byte 0xED at 0)");
        assertThatThrownBy(() -> StrictJson.utf8(new byte[] {'a', (byte) 0xC3}, "batchref"))
                .as("cut in the middle of a character").hasMessage("batchref is not valid UTF-8 (byte 0xC3 at 1)");
    }

    @Test
    void what_the_bytes_are_is_named_in_the_refusals_that_speak_of_the_whole() {
        byte[] overlong = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};

        assertThatThrownBy(() -> ChangeBatchQuantityMessage.fromJson(overlong, "value"))
                .hasMessage("the value is not valid UTF-8 (byte 0xC0 at 2)");
        assertThatThrownBy(() -> ChangeBatchQuantityMessage.fromJson("[1]".getBytes(StandardCharsets.UTF_8), "value"))
                .hasMessage("The value must be a JSON object, was an array");
        assertThatThrownBy(() -> fromJson("")).hasMessage("The message must be a JSON object, was empty");
        assertThatThrownBy(() -> fromJson("{\"batchref\": 1, \"qty\": 1}"))
                .hasMessage("batchref must be a string, was an integer");
    }

    @Test
    void other_fields_are_ignored_but_must_be_utf8_on_the_stream() {
        assertThat(fromJson("{\"batchref\": \"b1\", \"qty\": 60, \"by\": \"ops\"}"))
                .isEqualTo(new ChangeBatchQuantity("b1", 60));
        assertThat(fromStream("by", "ops", "batchref", "b1", "qty", "60")).isEqualTo(new ChangeBatchQuantity("b1", 60));
        assertThatThrownBy(() -> ChangeBatchQuantityMessage.fromFields(List.of(
                Map.entry("by".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF}),
                Map.entry("batchref".getBytes(StandardCharsets.UTF_8), "b1".getBytes(StandardCharsets.UTF_8)),
                Map.entry("qty".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8)))))
                .hasMessage("field 1 (by) is not valid UTF-8 (byte 0xFF at 0)");
    }

    private static String jsonString(String text) {
        return JsonMapper.shared().writeValueAsString(text);
    }

    private static ChangeBatchQuantity fromJson(String message) {
        return ChangeBatchQuantityMessage.fromJson(message.getBytes(StandardCharsets.UTF_8), "message");
    }

    private static ChangeBatchQuantity fromStream(String... namesAndValues) {
        List<Map.Entry<byte[], byte[]>> fields = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(Map.entry(namesAndValues[i].getBytes(StandardCharsets.UTF_8),
                    namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return ChangeBatchQuantityMessage.fromFields(fields);
    }
}
