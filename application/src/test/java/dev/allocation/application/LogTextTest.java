package dev.allocation.application;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Input written to a log stays on one line, says what it was, and is bounded. */
class LogTextTest {

    @Test
    void an_input_cannot_forge_a_second_log_line() {
        String escaped = LogText.escape("order1\r\n2024-01-01 INFO forged line");

        assertThat(escaped).isEqualTo("order1\\r\\n2024-01-01 INFO forged line").doesNotContain("\r", "\n");
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({
            "0000, \\u0000", "0007, \\u0007", "0009, \\t", "000B, \\u000B", "000C, \\u000C", "001B, \\u001B",
            "007F, \\u007F", "0085, \\u0085", "009B, \\u009B", "2028, \\u2028", "2029, \\u2029",
            "202E, \\u202E", "2066, \\u2066"})
    void every_character_that_breaks_or_reorders_a_line_is_written_as_an_escape(String codePoint, String escape) {
        String input = "a" + (char) Integer.parseInt(codePoint, 16) + "b";

        assertThat(LogText.escape(input)).isEqualTo("a" + escape + "b");
    }

    @Test
    void no_character_of_the_basic_plane_survives_that_could_break_a_line() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            every.append(c);
        }
        String text = every.toString();

        for (int start = 0; start < text.length(); start += LogText.MAX_INPUT) {
            String escaped = LogText.escape(text.substring(start, Math.min(text.length(), start + LogText.MAX_INPUT)));
            assertThat(escaped.chars()).noneMatch(c -> Character.getType(c) == Character.CONTROL
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
        }
    }

    @Test
    void a_backslash_is_doubled_so_that_no_input_passes_for_an_escape() {
        assertThat(LogText.escape("a\\nb")).isEqualTo("a\\\\nb");
        assertThat(LogText.escape("a\nb")).isEqualTo("a\\nb");
    }

    @Test
    void ordinary_text_is_written_as_it_is() {
        String text = "SMALL-TABLE batch-001 \"quoted\" é 日本 \ud83d\udce6 \u00a0";

        assertThat(LogText.escape(text)).isEqualTo(text);
    }

    @Test
    void null_is_written_as_null() {
        assertThat(LogText.escape(null)).isEqualTo("null");
    }

    @Test
    void input_of_the_maximum_length_is_written_whole() {
        String text = "x".repeat(LogText.MAX_INPUT);

        assertThat(LogText.escape(text)).isEqualTo(text);
    }

    @Test
    void longer_input_is_cut_and_says_its_full_length() {
        String text = "x".repeat(5_000_000);

        assertThat(LogText.escape(text)).isEqualTo("x".repeat(LogText.MAX_INPUT) + "...(5000000 chars)");
    }

    @Test
    void the_cut_never_splits_a_character_in_two() {
        String text = "x".repeat(LogText.MAX_INPUT - 1) + "\ud83d\udce6" + "y";

        assertThat(LogText.escape(text)).isEqualTo("x".repeat(LogText.MAX_INPUT - 1) + "...(202 chars)");
    }

    @Test
    void a_lone_half_of_a_surrogate_pair_is_written_as_an_escape() {
        assertThat(LogText.escape("a\ud83d")).isEqualTo("a\\uD83D");
        assertThat(LogText.escape("\ude00b")).isEqualTo("\\uDE00b");
    }

    @Test
    void a_lazy_value_is_escaped_when_it_is_written() {
        assertThat(LogText.lazy("a\nb")).hasToString("a\\nb");
    }
}
