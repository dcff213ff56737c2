package dev.allocation.domain.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.allocation.domain.InvalidValues;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Commands check their values as they are built, so an invalid command never reaches a handler. */
class CommandValidationTest {

    private static final String LONGEST = "x".repeat(255);
    private static final String TOO_LONG = "x".repeat(256);

    /** Each identifier field, as a way to build its command with that one value varied. */
    static Stream<Arguments> identifierFields() {
        return Stream.of(
                field("Allocate.orderId", "orderId", value -> new Allocate(value, "SKU", 1)),
                field("Allocate.sku", "sku", value -> new Allocate("order1", value, 1)),
                field("CreateBatch.ref", "ref", value -> new CreateBatch(value, "SKU", 10, null)),
                field("CreateBatch.sku", "sku", value -> new CreateBatch("batch1", value, 10, null)),
                field("ChangeBatchQuantity.ref", "ref", value -> new ChangeBatchQuantity(value, 10)));
    }

    /** Each quantity field with the smallest value it accepts. */
    static Stream<Arguments> quantityFields() {
        return Stream.of(
                quantity("Allocate.qty", "qty", 1, qty -> new Allocate("order1", "SKU", qty)),
                quantity("CreateBatch.qty", "qty", 0, qty -> new CreateBatch("batch1", "SKU", qty, null)),
                quantity("ChangeBatchQuantity.qty", "qty", 0, qty -> new ChangeBatchQuantity("batch1", qty)));
    }

    /** Every identifier field crossed with blank values, blank in the Unicode sense included. */
    static Stream<Arguments> identifierFieldsWithBlankValues() {
        return identifierFieldsCrossedWith(InvalidValues.BLANK);
    }

    /** Every identifier field crossed with values holding a control character. */
    static Stream<Arguments> identifierFieldsWithControlCharacters() {
        return identifierFieldsCrossedWith(InvalidValues.WITH_A_CONTROL_CHARACTER);
    }

    /** Etas no store keeps as given: outside the years 1 to 9999. */
    static Stream<Named<LocalDate>> etasOutsideTheYears1To9999() {
        return InvalidValues.ETAS_OUTSIDE_THE_YEARS_1_TO_9999.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifierFields")
    void a_null_identifier_is_refused_naming_the_field(Function<String, Command> build, String field) {
        assertThatThrownBy(() -> build.apply(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("identifierFieldsWithBlankValues")
    void a_blank_identifier_is_refused_naming_the_field(Function<String, Command> build, String field, String blank) {
        assertThatThrownBy(() -> build.apply(blank))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("identifierFieldsWithControlCharacters")
    void an_identifier_holding_a_control_character_is_refused_naming_the_field(
            Function<String, Command> build, String field, String value) {
        assertThatThrownBy(() -> build.apply(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming(field))
                .hasMessageContaining("control character");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifierFields")
    void an_identifier_longer_than_255_characters_is_refused_naming_the_field(
            Function<String, Command> build, String field) {
        assertThatThrownBy(() -> build.apply(TOO_LONG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifierFields")
    void an_identifier_of_255_characters_is_accepted(Function<String, Command> build, String field) {
        assertThatCode(() -> build.apply(LONGEST)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantityFields")
    void a_quantity_below_the_minimum_is_refused_naming_the_field(
            IntFunction<Command> build, String field, int minimum) {
        assertThatThrownBy(() -> build.apply(minimum - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantityFields")
    void a_very_negative_quantity_is_refused(IntFunction<Command> build, String field, int minimum) {
        assertThatThrownBy(() -> build.apply(Integer.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantityFields")
    void the_minimum_quantity_is_accepted(IntFunction<Command> build, String field, int minimum) {
        assertThatCode(() -> build.apply(minimum)).doesNotThrowAnyException();
    }

    @Test
    void a_batch_created_without_eta_is_accepted_as_in_the_warehouse() {
        assertThat(new CreateBatch("batch1", "SKU", 10, null).eta()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("etasOutsideTheYears1To9999")
    void a_batch_arriving_outside_the_years_1_to_9999_is_refused_naming_eta_and_the_range(LocalDate eta) {
        assertThatThrownBy(() -> new CreateBatch("batch1", "SKU", 10, eta))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming("eta"))
                .hasMessageContaining("1 to 9999");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0001-01-01", "9999-12-31"})
    void a_batch_arriving_on_the_first_or_last_day_of_the_years_1_to_9999_is_accepted(String day) {
        LocalDate eta = LocalDate.parse(day);

        assertThat(new CreateBatch("batch1", "SKU", 10, eta).eta()).isEqualTo(eta);
    }

    private static Arguments field(String name, String field, Function<String, Command> build) {
        return arguments(Named.of(name, build), field);
    }

    private static Stream<Arguments> identifierFieldsCrossedWith(List<Named<String>> values) {
        return identifierFields().flatMap(field -> values.stream()
                .map(value -> arguments(field.get()[0], field.get()[1], value)));
    }

    private static Arguments quantity(String name, String field, int minimum, IntFunction<Command> build) {
        return arguments(Named.of(name, build), field, minimum);
    }

    /** A message that names the field as a whole word. */
    private static String naming(String field) {
        return "(?s).*\\b" + field + "\\b.*";
    }
}
