package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.regex.JDKRegularExpressionFactory;
import com.networknt.schema.regex.RegularExpression;
import dev.allocation.domain.Eta;
import dev.allocation.domain.Identifier;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.service.OpenApiDocument.Located;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The value rules the OpenAPI document states are the domain's own ("Values are checked where they
 * enter"): the document accepts exactly the ids, quantities and etas the domain accepts. The id rule is
 * checked on code points of every plane, alone and before and after a visible one, with the regular
 * expression engine the document's validator uses.
 */
class OpenApiValueRulesTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final OpenApiDocument document = new OpenApiDocument();
    private final Located id = document.at("/components/schemas/Id");

    @Test
    void the_id_pattern_accepts_exactly_the_characters_the_domain_accepts_in_every_plane() {
        RegularExpression pattern = JDKRegularExpressionFactory.getInstance()
                .getRegularExpression(id.node().get("pattern").asString());
        List<String> disagreements = new ArrayList<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint += step(codePoint)) {
            String character = new String(Character.toChars(codePoint));
            for (String value : List.of(character, "a" + character, character + "a")) {
                if (pattern.matches(value) != domainAccepts(value) && disagreements.size() < 20) {
                    disagreements.add(String.format("U+%04X in \"%s\": the document %s it", codePoint,
                            value.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList(),
                            pattern.matches(value) ? "accepts" : "refuses"));
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void the_id_schema_bounds_the_length_as_the_domain_does_in_utf16_code_units() {
        String emoji = new String(Character.toChars(0x1F600));
        for (String value : List.of("", "a", "a".repeat(255), "a".repeat(256), "x" + emoji.repeat(127),
                "x" + emoji.repeat(128), emoji.repeat(127), emoji.repeat(128), emoji.repeat(255), " a ", " ",
                "\u200B", "\u200Ba", "a\nb", "a\u0085", "\uD800a")) {
            assertThat(document.errors(id, JSON.stringNode(value)).isEmpty())
                    .as("%s (%d code units)", value, value.length()).isEqualTo(domainAccepts(value));
        }
    }

    @Test
    void the_quantities_are_bounded_as_the_domain_bounds_them() {
        Located batch = document.at("/components/schemas/AddBatch").at("properties", "qty");
        Located line = document.at("/components/schemas/Allocate").at("properties", "qty");
        for (long qty : new long[] {Long.MIN_VALUE, Integer.MIN_VALUE, -1, 0, 1, 2, Integer.MAX_VALUE,
                Integer.MAX_VALUE + 1L, Long.MAX_VALUE}) {
            JsonNode value = JSON.numberNode(qty);
            boolean fitsAnInt = qty == (int) qty;
            assertThat(document.errors(batch, value).isEmpty()).as("a batch of %d", qty)
                    .isEqualTo(fitsAnInt && accepts(q -> new CreateBatch("b", "s", q, null), (int) qty));
            assertThat(document.errors(line, value).isEmpty()).as("a line of %d", qty)
                    .isEqualTo(fitsAnInt && accepts(q -> new Allocate("o", "s", q), (int) qty));
        }
    }

    @Test
    void the_eta_schema_accepts_exactly_the_dates_the_service_reads_and_the_domain_keeps() {
        Located eta = document.at("/components/schemas/AddBatch").at("properties", "eta");
        List<String> etas = new ArrayList<>(List.of("0000-12-31", "-0001-01-01", "+10000-01-01", "10000-01-01",
                "2024-02-30", "2023-02-29", "2024-02-29", "2024-13-01", "2024-00-01", "2024-01-00", "2024-1-1",
                "24-01-01", "2024-01-01T00:00:00", " 2024-01-01", "2024-01-01 ", "", "2024-01-32", "+2024-01-01"));
        for (int year : new int[] {1, 2, 999, 1000, 1999, 2024, 9998, 9999}) {
            etas.add(String.format("%04d-01-01", year));
            etas.add(String.format("%04d-12-31", year));
        }
        for (String text : etas) {
            assertThat(document.errors(eta, JSON.stringNode(text)).isEmpty()).as(text).isEqualTo(serviceKeeps(text));
        }
        assertThat(document.errors(eta, JSON.nullNode())).as("null: in the warehouse").isEmpty();
    }

    /**
     * Every code point where characters differ (planes 0 and 1, and U+E0000 to U+E0FFF: tags and
     * variation selectors); elsewhere (ideographs, unassigned, private use) every 61st and each plane's last.
     */
    private static int step(int codePoint) {
        int plane = codePoint >> 16;
        boolean varied = plane <= 1 || codePoint >= 0xE0000 && codePoint <= 0xE0FFF;
        return varied || (codePoint & 0xFFFF) == 0xFFFF ? 1 : Math.min(61, 0xFFFF - (codePoint & 0xFFFF));
    }

    /** As the service reads an eta ({@code LocalDate.parse}), then as the domain checks it. */
    private static boolean serviceKeeps(String text) {
        try {
            Eta.require(LocalDate.parse(text), "eta");
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean domainAccepts(String value) {
        return accepts(v -> Identifier.require(v, "id"), value);
    }

    private static <T> boolean accepts(Function<T, ?> check, T value) {
        try {
            check.apply(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
