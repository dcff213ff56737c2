package dev.allocation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "\ud83d", "x\ude00", "\ude00\ud83d"})
    void text_no_store_can_keep_is_refused_naming_the_field(String value) {
        assertThatThrownBy(() -> Identifier.require(value, "sku"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("sku ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\tb", "a\u001bb", "a\u007fb", "a\u0085b", "a\u009bb", "\u0000"})
    void every_control_character_is_refused_and_named_by_its_code_point(String value) {
        String codePoint = String.format("U+%04X", (int) value.chars().filter(Character::isISOControl).findFirst()
                .orElseThrow());

        assertThatThrownBy(() -> Identifier.require(value, "sku"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sku must not contain a control character")
                .hasMessageContaining(codePoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\u00a0", "\u2007", "\u202f", "\u3000", "\u2028\u2029", "\u200b\u200c\u200d", "\u2060", "\ufeff",
            "\u00ad", "\u034f", "\u3164", "\ufe0f", "\udb40\udc20", " \u00a0\u200b "})
    void an_identifier_of_invisible_characters_only_is_refused_as_blank(String value) {
        assertThatThrownBy(() -> Identifier.require(value, "sku"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sku must not be blank");
    }

    @ParameterizedTest
    @ValueSource(strings = {"😀", "é\u0301", "'; DROP TABLE batches; --", "日本"})
    void any_other_unicode_text_is_an_identifier(String value) {
        assertThat(Identifier.require(value, "sku")).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SMALL\u00a0TABLE", "a\u200bb", "\u2764\ufe0f", "\ud83d\udc69\u200d\ud83d\udcbb", " x "})
    void invisible_characters_beside_visible_ones_are_kept(String value) {
        assertThat(Identifier.require(value, "sku")).isEqualTo(value);
    }
}
