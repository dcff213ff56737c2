package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoding behind every id and body, on its own: Jetty refuses most bad encodings in a path before
 * the API sees it, and this is what holds if it does not.
 */
class StrictUtf8Test {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%C0%AF", "%E0%80%AF", "%F0%80%80%AF", "%ED%A0%80", "%ED%BF%BF", "%E2%82", "%E2%82x",
            "%F0%9F%98", "%80", "%F5%80%80%80", "%F8", "%FE", "%FF"})
    void a_segment_that_is_not_utf8_once_percent_decoded_is_refused(String encoded) {
        assertThatThrownBy(() -> StrictUtf8.percentDecoded("o" + encoded, "The order id"))
                .isInstanceOf(ClientError.class)
                .hasMessageStartingWith("The order id, percent-decoded, is not valid UTF-8 (at byte 2)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%", "%2", "%ZZ", "%\uFF12\uFF12", "o%2"})
    void a_malformed_percent_encoding_is_refused(String encoded) {
        assertThatThrownBy(() -> StrictUtf8.percentDecoded(encoded, "The order id"))
                .isInstanceOf(ClientError.class).hasMessage("Malformed percent-encoding in the order id");
    }

    @Test
    void percent_encodings_and_characters_as_sent_decode_to_the_id_written() {
        assertThat(StrictUtf8.percentDecoded("o%5C1%2F%25%3B+%C3%A9\u20ac\uD83D\uDE00", "The order id"))
                .isEqualTo("o\\1/%;+é€😀");
    }

    @Test
    void an_overlong_slash_in_a_body_is_refused_not_read_as_a_slash() {
        assertThatThrownBy(() -> StrictUtf8.decode(HexFormat.of().parseHex("22C0AF22"), "The request body"))
                .isInstanceOf(ClientError.class).hasMessage("The request body is not valid UTF-8 (at byte 2)");
    }
}
