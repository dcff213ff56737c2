package dev.allocation.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a record of change_batch_quantity must be, and the words of each refusal. */
class ChangeBatchQuantityJsonTest {

    @Test
    void a_record_keyed_by_its_batchref_is_the_command_and_other_fields_are_ignored() {
        assertThat(ChangeBatchQuantityJson.fromRecord(bytes("b1"), bytes("{\"batchref\":\"b1\",\"qty\":60,\"by\":\"ops\"}")))
                .isEqualTo(new ChangeBatchQuantity("b1", 60));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "b1 | {\"batchref\":\"b1\",\"qty\":\"60\"} | qty must be an integer, was a string (\"60\")",
        "b1 | {\"batchref\":\"b1\",\"qty\":60.0}   | qty must be an integer, was a decimal number",
        "b1 | {\"batchref\":\"b1\",\"qty\":null}   | qty must be an integer, was null",
        "b1 | {\"batchref\":\"b1\",\"qty\":3000000000} | qty is out of range, was 3000000000",
        "b1 | {\"batchref\":\"b1\",\"qty\":-1}     | qty must not be negative, was -1",
        "b1 | {\"batchref\":\"b1\"}                | Missing field qty",
        "b1 | {\"batchref\":\"b1\",\"qty\":1,\"qty\":2} | Malformed JSON: Duplicate field 'qty'",
        "b1 | {\"batchref\":1,\"qty\":1}           | batchref must be a string, was an integer",
        "b1 | [1]                                  | The value must be a JSON object, was an array",
        "''  | {\"batchref\":\" \",\"qty\":1}       | batchref must not be blank",
        "b2 | {\"batchref\":\"b1\",\"qty\":1}      | The key must be the batchref (\"b1\"), was \"b2\"",
    })
    void a_malformed_record_is_refused_naming_the_field(String key, String value, String refusal) {
        assertThatThrownBy(() -> ChangeBatchQuantityJson.fromRecord(bytes(key), bytes(value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(refusal);
    }

    @Test
    void a_record_without_key_or_value_is_refused() {
        assertThatThrownBy(() -> ChangeBatchQuantityJson.fromRecord(null, bytes("{\"batchref\":\"b1\",\"qty\":1}")))
                .hasMessage("The key must be the batchref (\"b1\"), was none");
        assertThatThrownBy(() -> ChangeBatchQuantityJson.fromRecord(bytes("b1"), null))
                .hasMessage("The record has no value (a tombstone)");
    }

    @Test
    void bytes_that_are_not_utf_8_are_refused_never_replaced() {
        assertThatThrownBy(() -> ChangeBatchQuantityJson.fromRecord(bytes("b1"),
                new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}))
                .hasMessage("the value is not valid UTF-8 (byte 0xC0 at 2)");
        assertThatThrownBy(() -> ChangeBatchQuantityJson.fromRecord(new byte[] {(byte) 0xFF},
                bytes("{\"batchref\":\"b1\",\"qty\":1}")))
                .hasMessage("the key is not valid UTF-8 (byte 0xFF at 0)");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
