package dev.allocation.adapters.redis;

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
 * The rules of change_batch_quantity, the channel's and the stream's side by side: a quantity is taken
 * in one form, a JSON integer, wherever it arrives, and the refusals say what HTTP's would.
 */
class ChangeBatchQuantityWireTest {

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

        assertThatThrownBy(() -> ChangeBatchQuantityWire.fromJson(overlongSlash))
                .hasMessage("the message is not valid UTF-8 (byte 0xC0 at 3)");
        assertThatThrownBy(() -> ChangeBatchQuantityWire.utf8(surrogate, "batchref"))
                .hasMessage("batchref is not valid UTF-8 (byte 0xED at 0)");
        assertThatThrownBy(() -> ChangeBatchQuantityWire.utf8(new byte[] {'a', (byte) 0xC3}, "batchref"))
                .as("cut in the middle of a character").hasMessage("batchref is not valid UTF-8 (byte 0xC3 at 1)");
    }

    private static String jsonString(String text) {
        return JsonMapper.shared().writeValueAsString(text);
    }

    private static ChangeBatchQuantity fromJson(String message) {
        return ChangeBatchQuantityWire.fromJson(message.getBytes(StandardCharsets.UTF_8));
    }

    private static ChangeBatchQuantity fromStream(String... namesAndValues) {
        List<Map.Entry<byte[], byte[]>> fields = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(Map.entry(namesAndValues[i].getBytes(StandardCharsets.UTF_8),
                    namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return ChangeBatchQuantityWire.fromStream(fields);
    }
}
