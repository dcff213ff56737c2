package dev.allocation.spring.boot;

import dev.allocation.domain.Eta;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The book's request bodies turned into commands with the service's rules and words (its
 * {@code adapters-http} {@code RequestBodies}, which this module may not depend on): strict JSON (valid
 * UTF-8, no duplicate key, nothing after the value), each field checked for presence and JSON type with
 * no coercion ("10" is no number, 10.0 no integer, null no string), fields the API does not know ignored.
 * A refusal is a {@link Refused} naming the field and what was wrong: a 400.
 */
final class BookRequests {

    /** Writes answers as the service does: "a/b", not "a\/b"; an emoji as its two escapes. */
    static final JsonMapper WRITER = JsonMapper.builder()
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private static final JsonMapper STRICT = WRITER.rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String AN_ETA = " must be an ISO date (yyyy-mm-dd) in the years " + Eta.FIRST_YEAR
            + " to " + Eta.LAST_YEAR + ", or null, was ";

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*)\"");

    private BookRequests() {
    }

    /** A request the API refuses, with a message naming the problem: a 400. */
    static final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code {"ref", "sku", "qty", "eta"}}; eta an ISO date, null or absent (in the warehouse now). */
    static CreateBatch createBatch(byte[] body) {
        JsonNode json = object(body);
        String ref = text(json, "ref");
        String sku = text(json, "sku");
        int qty = integer(json, "qty");
        LocalDate eta = optionalDate(json, "eta");
        return validated(() -> new CreateBatch(ref, sku, qty, eta));
    }

    /** {@code {"orderid", "sku", "qty"}}. */
    static Allocate allocate(byte[] body) {
        JsonNode json = object(body);
        String orderId = text(json, "orderid");
        String sku = text(json, "sku");
        int qty = integer(json, "qty");
        return validated(() -> new Allocate(orderId, sku, qty));
    }

    /** What {@code call} returns; a value the domain refuses (its message naming the field) is refused. */
    static <T> T validated(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Refused(e.getMessage());
        }
    }

    private static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw new Refused("The request body must be a JSON object, was empty");
        }
        requireUtf8(body);   // Jackson would read C0 AF as "/"
        JsonNode json;
        try {
            json = STRICT.readTree(body);
        } catch (JacksonException e) {
            throw new Refused("Malformed JSON: " + inTheApisWords(e.getOriginalMessage())
                    + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (json == null || json.isMissingNode()) {
            throw new Refused("The request body must be a JSON object, was empty");
        }
        if (!json.isObject()) {
            throw new Refused("The request body must be a JSON object, was " + describe(json));
        }
        return json;
    }

    private static void requireUtf8(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in);
        } catch (CharacterCodingException e) {
            throw new Refused("Malformed JSON: the request body is not valid UTF-8 (at byte " + (in.position() + 1) + ")");
        }
    }

    /** Jackson 3 says "Object property" where the API has always said "field" (clients match on it). */
    private static String inTheApisWords(String parserMessage) {
        Matcher duplicate = DUPLICATE.matcher(parserMessage);
        if (duplicate.matches()) {
            return "Duplicate field '" + duplicate.group(1) + "'";
        }
        return parserMessage.replace("property name", "field name");
    }

    private static JsonNode present(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null) {
            throw new Refused("Missing field " + field);
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = present(json, field);
        if (!value.isString()) {
            throw new Refused(field + " must be a string, was " + describe(value));
        }
        return value.stringValue();
    }

    private static int integer(JsonNode json, String field) {
        JsonNode value = present(json, field);
        if (!value.isIntegralNumber()) {
            throw new Refused(field + " must be an integer, was " + describe(value));
        }
        if (!value.canConvertToInt()) {
            throw new Refused(field + " is out of range, was " + value.asString());
        }
        return value.intValue();
    }

    /** A date outside the years every store keeps parses here, and the domain refuses it. */
    private static LocalDate optionalDate(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new Refused(field + AN_ETA + describe(value));
        }
        try {
            return LocalDate.parse(value.stringValue());
        } catch (DateTimeParseException e) {
            throw new Refused(field + AN_ETA + "\"" + abbreviate(value.stringValue()) + "\"");
        }
    }

    /** The JSON type of a value, for messages; short strings are quoted so "10" reads as a string. */
    private static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case NULL -> "null";
            case BOOLEAN -> "a boolean";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a decimal number";
            case STRING -> "a string (\"" + abbreviate(value.stringValue()) + "\")";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
