package dev.allocation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
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
    @ValueSource(strings = {"😀", "é\u0301", "'; DROP TABLE batches; --", "日本"})
    void any_other_unicode_text_is_an_identifier(String value) {
        assertThat(Identifier.require(value, "sku")).isEqualTo(value);
    }
}
