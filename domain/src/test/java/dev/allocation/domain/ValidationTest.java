package dev.allocation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.model.Allocations;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commands, order lines, batches and products refuse invalid values where they enter the domain, naming
 * the field: an invalid command never reaches a handler, an invalid value never reaches the model.
 */
class ValidationTest {

    private static final String LONGEST = "x".repeat(255);
    private static final String TOO_LONG = "x".repeat(256);

    /** Blank identifiers, blank in the Unicode sense included. */
    private static final List<Named<String>> BLANK = List.of(
            Named.of("one space", " "), Named.of("empty", ""), Named.of("tab and newline", "\t\n"),
            Named.of("only no-break spaces", "\u00a0\u2007\u202f"),
            Named.of("only a zero-width space", "\u200b"),
            Named.of("only a byte order mark and a space", "\ufeff "));

    /** Identifiers holding a control character. */
    private static final List<Named<String>> WITH_A_CONTROL_CHARACTER = List.of(
            Named.of("CR LF and a forged log line", "batch1\r\nINFO forged"),
            Named.of("a line feed", "batch1\n"),
            Named.of("NUL", "batch\u00001"),
            Named.of("bell", "batch\u00071"),
            Named.of("a C1 control", "batch\u00851"));

    /** Etas no store keeps as given: outside the years 1 to 9999. */
    private static final List<Named<LocalDate>> ETAS_OUTSIDE_THE_YEARS_1_TO_9999 = List.of(
            Named.of("year 0", LocalDate.of(0, 12, 31)),
            Named.of("year 10000", LocalDate.of(10_000, 1, 1)),
            Named.of("4714 BC, PostgreSQL's first day", LocalDate.of(-4714, 11, 23)),
            Named.of("past PostgreSQL's last day", LocalDate.of(5_874_898, 1, 1)),
            Named.of("LocalDate.MIN", LocalDate.MIN),
            Named.of("LocalDate.MAX", LocalDate.MAX));

    /** Each identifier field, as a way to build its owner with that one value varied. */
    static Stream<Arguments> identifierFields() {
        return Stream.of(
                field("Allocate.orderId", "orderId", value -> new Allocate(value, "SKU", 1)),
                field("Allocate.sku", "sku", value -> new Allocate("order1", value, 1)),
                field("CreateBatch.ref", "ref", value -> new CreateBatch(value, "SKU", 10, null)),
                field("CreateBatch.sku", "sku", value -> new CreateBatch("batch1", value, 10, null)),
                field("ChangeBatchQuantity.ref", "ref", value -> new ChangeBatchQuantity(value, 10)),
                field("OrderLine.orderId", "orderId", value -> new OrderLine(value, "SKU", 1)),
                field("OrderLine.sku", "sku", value -> new OrderLine("order1", value, 1)),
                field("Batch.reference", "reference", value -> new Batch(value, "SKU", 10, null)),
                field("Batch.sku", "sku", value -> new Batch("batch1", value, 10, null)),
                field("a store's Batch.reference", "reference",
                        value -> new Batch(value, "SKU", 10, null, new Allocations.InMemory())),
                field("a store's Batch.sku", "sku",
                        value -> new Batch("batch1", value, 10, null, new Allocations.InMemory())),
                field("Product.sku", "sku", value -> new Product(value, List.of())));
    }

    /** Each quantity field with the smallest value it accepts. */
    static Stream<Arguments> quantityFields() {
        return Stream.of(
                quantity("Allocate.qty", "qty", 1, qty -> new Allocate("order1", "SKU", qty)),
                quantity("CreateBatch.qty", "qty", 0, qty -> new CreateBatch("batch1", "SKU", qty, null)),
                quantity("ChangeBatchQuantity.qty", "qty", 0, qty -> new ChangeBatchQuantity("batch1", qty)),
                quantity("OrderLine.qty", "qty", 1, qty -> new OrderLine("order1", "SKU", qty)),
                quantity("Batch.purchasedQuantity", "purchasedQuantity", 0,
                        qty -> new Batch("batch1", "SKU", qty, null)));
    }

    /** Every identifier field crossed with blank values, blank in the Unicode sense included. */
    static Stream<Arguments> identifierFieldsWithBlankValues() {
        return identifierFieldsCrossedWith(BLANK);
    }

    /** Every identifier field crossed with values holding a control character. */
    static Stream<Arguments> identifierFieldsWithControlCharacters() {
        return identifierFieldsCrossedWith(WITH_A_CONTROL_CHARACTER);
    }

    /** Each way to make a batch with its eta varied, as the eta the batch then has. */
    static Stream<Named<Function<LocalDate, Optional<LocalDate>>>> batchesWithEta() {
        return Stream.of(
                Named.of("CreateBatch", eta -> Optional.ofNullable(new CreateBatch("batch1", "SKU", 10, eta).eta())),
                Named.of("Batch", eta -> new Batch("batch1", "SKU", 10, eta).eta()),
                Named.of("a store's Batch", eta -> new Batch("batch1", "SKU", 10, eta, new Allocations.InMemory()).eta()));
    }

    /** Each way to make a batch crossed with etas no store keeps as given: outside the years 1 to 9999. */
    static Stream<Arguments> batchesWithEtasOutsideTheYears1To9999() {
        return batchesWithEta().flatMap(batch -> ETAS_OUTSIDE_THE_YEARS_1_TO_9999.stream()
                .map(eta -> arguments(batch, eta)));
    }

    /** Each way to make a batch crossed with the first and last day of the years 1 to 9999. */
    static Stream<Arguments> batchesWithEtasAtTheEdgesOfTheYears1To9999() {
        return batchesWithEta().flatMap(batch -> Stream.of(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31))
                .map(eta -> arguments(batch, eta)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifierFields")
    void a_null_identifier_is_refused_naming_the_field(Function<String, Object> build, String field) {
        assertThatThrownBy(() -> build.apply(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("identifierFieldsWithBlankValues")
    void a_blank_identifier_is_refused_naming_the_field(Function<String, Object> build, String field, String blank) {
        assertThatThrownBy(() -> build.apply(blank))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("identifierFieldsWithControlCharacters")
    void an_identifier_holding_a_control_character_is_refused_naming_the_field(
            Function<String, Object> build, String field, String value) {
        assertThatThrownBy(() -> build.apply(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming(field))
                .hasMessageContaining("control character");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifierFields")
    void an_identifier_longer_than_255_characters_is_refused_naming_the_field(
            Function<String, Object> build, String field) {
        assertThatThrownBy(() -> build.apply(TOO_LONG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifierFields")
    void an_identifier_of_255_characters_is_accepted(Function<String, Object> build, String field) {
        assertThatCode(() -> build.apply(LONGEST)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantityFields")
    void a_quantity_below_the_minimum_is_refused_naming_the_field(
            IntFunction<Object> build, String field, int minimum) {
        assertThatThrownBy(() -> build.apply(minimum - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantityFields")
    void a_very_negative_quantity_is_refused(IntFunction<Object> build, String field, int minimum) {
        assertThatThrownBy(() -> build.apply(Integer.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantityFields")
    void the_minimum_quantity_is_accepted(IntFunction<Object> build, String field, int minimum) {
        assertThatCode(() -> build.apply(minimum)).doesNotThrowAnyException();
    }

    @Test
    void a_batch_created_without_eta_is_accepted_as_in_the_warehouse() {
        assertThat(new CreateBatch("batch1", "SKU", 10, null).eta()).isNull();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("batchesWithEtasOutsideTheYears1To9999")
    void a_batch_arriving_outside_the_years_1_to_9999_is_refused_naming_eta_and_the_range(
            Function<LocalDate, Optional<LocalDate>> build, LocalDate eta) {
        assertThatThrownBy(() -> build.apply(eta))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(naming("eta"))
                .hasMessageContaining("1 to 9999");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("batchesWithEtasAtTheEdgesOfTheYears1To9999")
    void a_batch_arriving_on_the_first_or_last_day_of_the_years_1_to_9999_keeps_its_eta(
            Function<LocalDate, Optional<LocalDate>> build, LocalDate eta) {
        assertThat(build.apply(eta)).contains(eta);
    }

    @Test
    void a_batch_without_its_allocations_is_refused() {
        assertThatThrownBy(() -> new Batch("batch1", "SKU", 10, null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("allocations");
    }

    @Test
    void a_product_refuses_a_null_list_of_batches() {
        assertThatThrownBy(() -> new Product("SKU", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("batches");
    }

    @Test
    void a_product_refuses_a_null_batch() {
        List<Batch> batches = Arrays.asList(new Batch("batch1", "SKU", 10, null), null);

        assertThatThrownBy(() -> new Product("SKU", batches))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("batches");
    }

    private static Arguments field(String name, String field, Function<String, Object> build) {
        return arguments(Named.of(name, build), field);
    }

    private static Stream<Arguments> identifierFieldsCrossedWith(List<Named<String>> values) {
        return identifierFields().flatMap(field -> values.stream()
                .map(value -> arguments(field.get()[0], field.get()[1], value)));
    }

    private static Arguments quantity(String name, String field, int minimum, IntFunction<Object> build) {
        return arguments(Named.of(name, build), field, minimum);
    }

    /** A message that names the field as a whole word. */
    private static String naming(String field) {
        return "(?s).*\\b" + field + "\\b.*";
    }
}
