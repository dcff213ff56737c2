package dev.allocation.service;

import dev.allocation.service.OpenApiDocument.Located;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Values generated from a JSON Schema of the OpenAPI document, by walking it: its {@code type}s,
 * {@code enum} and {@code const}, {@code minimum} and {@code maximum}, {@code minLength},
 * {@code maxLength} and {@code x-maxUtf16Length}, {@code format}, {@code properties} and {@code required}.
 * Most values keep to the schema; the others step just outside it: one past a bound, a required
 * property dropped, another JSON type, a string one character too long or holding a control character,
 * an invisible character only, a character outside the BMP. Which values a {@code pattern} accepts is
 * not guessed: strings draw their characters from a pool that straddles the classes identifier patterns
 * separate, and the test asks the schema itself whether each value is valid.
 */
final class SchemaArbitraries {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** How long a string may get when its schema sets no bound. */
    private static final int UNBOUNDED_LENGTH = 40;

    /** Letters and digits, most of the time; then the characters that rules about text are about. */
    private static final Arbitrary<Integer> CODE_POINTS = Arbitraries.frequencyOf(
            Tuple.of(30, Arbitraries.integers().between('a', 'z')),
            Tuple.of(10, Arbitraries.integers().between('0', '9')),
            Tuple.of(10, Arbitraries.integers().between('A', 'Z')),
            Tuple.of(6, Arbitraries.of((int) '-', (int) '_', (int) '.', (int) '/', (int) '%', (int) '\\', (int) '+',
                    (int) '?', (int) '#', (int) '&', (int) '"', (int) '~', (int) ':', (int) ';', (int) '=', (int) ' ')),
            Tuple.of(4, Arbitraries.of(0xE9, 0x4E2D, 0x0416, 0x05D0, 0x0301, 0xFFFD)),   // letters, a mark, U+FFFD
            Tuple.of(3, Arbitraries.of(0x1F600, 0x10400, 0x20000)),                      // outside the BMP
            Tuple.of(2, invisible()),
            Tuple.of(1, Arbitraries.of(0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F, 0x85, 0x9F)),   // control (Cc)
            Tuple.of(1, Arbitraries.of(0xD800, 0xDBFF, 0xDC00, 0xDFFF)));                        // unpaired surrogates

    private SchemaArbitraries() {
    }

    /** Spaces, no-break spaces, format characters and other default-ignorable ones. */
    private static Arbitrary<Integer> invisible() {
        return Arbitraries.of(0x20, 0xA0, 0x2007, 0x202F, 0x3000, 0x2028, 0x2029, 0x1680,   // White_Space
                0x200B, 0x200D, 0xFEFF, 0xAD, 0x2060, 0x180E, 0xE0001, 0xE0041,            // format (Cf)
                0x034F, 0xFE0F, 0x3164, 0xFFA0, 0x115F, 0x17B4, 0xE0100, 0xE0FFF);          // other ignorables
    }

    /** Values for the schema at {@code schema}: mostly within it, some just outside. */
    static Arbitrary<JsonNode> values(OpenApiDocument document, Located schema) {
        Located resolved = document.resolve(schema);
        JsonNode node = resolved.node();
        List<Tuple.Tuple2<Integer, Arbitrary<? extends JsonNode>>> choices = new ArrayList<>();
        if (node.has("enum") || node.has("const")) {
            List<JsonNode> allowed = new ArrayList<>();
            node.path("enum").forEach(allowed::add);
            if (node.has("const")) {
                allowed.add(node.get("const"));
            }
            choices.add(Tuple.of(8, Arbitraries.of(allowed)));
            choices.add(Tuple.of(1, strings(new Located(resolved.pointer(), JSON.objectNode()))));
        }
        List<String> types = types(node);
        for (String type : types) {
            Arbitrary<? extends JsonNode> conforming = switch (type) {
                case "string" -> strings(resolved);
                case "integer" -> integers(node);
                case "number" -> integers(node).map(value -> (JsonNode) JSON.numberNode(
                        new BigDecimal(value.bigIntegerValue()).add(new BigDecimal("0.5"))));
                case "boolean" -> Arbitraries.of(JSON.booleanNode(true), JSON.booleanNode(false));
                case "null" -> Arbitraries.just(JSON.nullNode());
                case "array" -> arrays(document, resolved);
                case "object" -> objects(document, resolved);
                default -> throw new IllegalArgumentException("No generator for type " + type + " at " + resolved.pointer());
            };
            choices.add(Tuple.of(choices.isEmpty() ? 12 : 4, conforming));
        }
        if (!types.isEmpty()) {
            choices.add(Tuple.of(1, otherTypes(types)));
        }
        if (choices.isEmpty()) {
            return otherTypes(List.of());
        }
        return frequency(choices);
    }

    /** Text for a parameter of the path or the query: always a string, in or out of its schema. */
    static Arbitrary<String> text(OpenApiDocument document, Located schema) {
        Located resolved = document.resolve(schema);
        if (types(resolved.node()).contains("string")) {
            return strings(resolved).map(JsonNode::stringValue);
        }
        return Arbitraries.frequencyOf(
                Tuple.of(8, values(document, resolved).map(value -> value.isValueNode() ? value.asString() : "x")),
                Tuple.of(1, Arbitraries.of("", "x", "1.5", "1e3", "0x10", "ten")));
    }

    private static List<String> types(JsonNode schema) {
        List<String> types = new ArrayList<>();
        JsonNode type = schema.path("type");
        if (type.isString()) {
            types.add(type.stringValue());
        }
        type.valueStream().forEach(each -> types.add(each.stringValue()));
        if (types.isEmpty() && schema.has("properties")) {
            types.add("object");
        }
        return types;
    }

    private static Arbitrary<JsonNode> strings(Located schema) {
        JsonNode node = schema.node();
        String format = node.path("format").asString("");
        if (format.equals("date")) {
            return Arbitraries.frequencyOf(
                    Tuple.of(8, Arbitraries.longs().between(LocalDate.of(1, 1, 1).toEpochDay(),
                            LocalDate.of(9999, 12, 31).toEpochDay()).map(day -> text(LocalDate.ofEpochDay(day).toString()))),
                    Tuple.of(2, Arbitraries.of("0000-01-01", "-0001-12-31", "+10000-01-01", "10000-01-01", "2024-02-30",
                            "2023-02-29", "2024-13-01", "2024-00-10", "24-01-01", "2024-1-1", "2024-01-01T00:00:00",
                            " 2024-01-01", "2024-01-01 ", "").map(SchemaArbitraries::text)),
                    Tuple.of(1, codePointStrings(0, 12)));
        }
        if (format.equals("uuid")) {
            return Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.randomValue(random -> text(new UUID(random.nextLong(), random.nextLong()).toString()))),
                    Tuple.of(1, codePointStrings(0, 40)));
        }
        int min = node.path("minLength").asInt(0);
        int max = node.has("maxLength") ? node.get("maxLength").asInt() : Math.max(min, UNBOUNDED_LENGTH);
        List<Tuple.Tuple2<Integer, Arbitrary<? extends JsonNode>>> choices = new ArrayList<>();
        choices.add(Tuple.of(10, codePointStrings(min, Math.min(max, Math.max(min, 24)))));
        choices.add(Tuple.of(3, codePointStrings(min, max)));
        choices.add(Tuple.of(1, codePointStrings(max, max + 1)));
        choices.add(Tuple.of(1, invisible().list().ofMinSize(1).ofMaxSize(4).map(SchemaArbitraries::join)));
        if (min > 0) {
            choices.add(Tuple.of(1, codePointStrings(min - 1, min - 1)));
        }
        if (node.has("x-maxUtf16Length")) {
            // a character outside the BMP is one code point (maxLength) but two UTF-16 code units
            int units = node.get("x-maxUtf16Length").asInt();
            choices.add(Tuple.of(1, Arbitraries.integers().between(units / 2 - 1, units / 2 + 1)
                    .map(pairs -> text("x" + new String(Character.toChars(0x1F600)).repeat(pairs)))));
        }
        return frequency(choices);
    }

    private static Arbitrary<JsonNode> codePointStrings(int min, int max) {
        return CODE_POINTS.list().ofMinSize(min).ofMaxSize(max).map(SchemaArbitraries::join);
    }

    private static JsonNode join(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text(text.toString());
    }

    private static JsonNode text(String text) {
        return JSON.stringNode(text);
    }

    private static Arbitrary<JsonNode> integers(JsonNode schema) {
        BigInteger min = schema.has("minimum") ? schema.get("minimum").bigIntegerValue()
                : BigInteger.valueOf(Long.MIN_VALUE);
        BigInteger max = schema.has("maximum") ? schema.get("maximum").bigIntegerValue()
                : BigInteger.valueOf(Long.MAX_VALUE);
        BigInteger small = max.min(min.add(BigInteger.valueOf(20)));
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.bigIntegers().between(min, small)),
                Tuple.of(4, Arbitraries.bigIntegers().between(min, max)),
                Tuple.of(2, Arbitraries.of(min, max, min.subtract(BigInteger.ONE), max.add(BigInteger.ONE))),
                Tuple.of(1, Arbitraries.of(BigInteger.valueOf(Long.MIN_VALUE), BigInteger.ONE.shiftLeft(64),
                        BigInteger.valueOf(-1))))
                .map(value -> (JsonNode) JSON.numberNode(value));
    }

    private static Arbitrary<JsonNode> arrays(OpenApiDocument document, Located schema) {
        return values(document, schema.at("items")).list().ofMaxSize(3).map(items -> {
            var array = JSON.arrayNode();
            items.forEach(array::add);
            return (JsonNode) array;
        });
    }

    /** Each property present or absent (a required one absent now and then), and a field no one knows. */
    private static Arbitrary<JsonNode> objects(OpenApiDocument document, Located schema) {
        List<String> required = new ArrayList<>();
        schema.node().path("required").forEach(name -> required.add(name.stringValue()));
        List<String> names = new ArrayList<>(schema.node().path("properties").propertyNames());
        List<Arbitrary<Optional<JsonNode>>> fields = new ArrayList<>();
        for (String name : names) {
            Arbitrary<JsonNode> value = values(document, schema.at("properties", name));
            fields.add(required.contains(name)
                    ? Arbitraries.frequencyOf(Tuple.of(30, value.map(Optional::of)), Tuple.of(1, Arbitraries.just(Optional.empty())))
                    : Arbitraries.frequencyOf(Tuple.of(2, value.map(Optional::of)), Tuple.of(1, Arbitraries.just(Optional.empty()))));
        }
        Arbitrary<Optional<JsonNode>> unknown = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(Optional.empty())),
                Tuple.of(1, otherTypes(List.of()).map(Optional::of)));
        return Combinators.combine(Combinators.combine(fields).as(values -> values), unknown).as((values, extra) -> {
            ObjectNode object = JSON.objectNode();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                values.get(i).ifPresent(value -> object.set(name, value));
            }
            extra.ifPresent(value -> object.set("not_a_field_of_the_document", value));
            return object;
        });
    }

    /** A value of every JSON type but {@code types} (an integer written as a decimal counts as a number). */
    private static Arbitrary<JsonNode> otherTypes(List<String> types) {
        List<JsonNode> others = new ArrayList<>();
        if (!types.contains("string")) {
            others.add(text("10"));
            others.add(text(""));
        }
        if (!types.contains("integer") && !types.contains("number")) {
            others.add(JSON.numberNode(10));
        }
        if (!types.contains("number")) {
            others.add(JSON.numberNode(new BigDecimal("10.5")));
            others.add(JSON.numberNode(new BigDecimal("10.0")));
        }
        if (!types.contains("boolean")) {
            others.add(JSON.booleanNode(true));
        }
        if (!types.contains("null")) {
            others.add(JSON.nullNode());
        }
        if (!types.contains("array")) {
            others.add(JSON.arrayNode().add(1));
        }
        if (!types.contains("object")) {
            others.add(JSON.objectNode().put("a", 1));
        }
        return Arbitraries.of(others);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Arbitrary<JsonNode> frequency(List<Tuple.Tuple2<Integer, Arbitrary<? extends JsonNode>>> choices) {
        return Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
    }
}
