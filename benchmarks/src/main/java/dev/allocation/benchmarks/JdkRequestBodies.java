package dev.allocation.benchmarks;

import dev.allocation.domain.Eta;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Supplier;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns request bodies into commands, strictly: Jackson reads the JSON (duplicate keys and trailing
 * content refused), then each field is checked for presence and JSON type, with no coercion: "10" is
 * not a number, 10.0 is not an integer, null is not a string. Fields the API does not know are ignored,
 * as the reference service does. Each refusal is a 400 naming the field and what was wrong.
 */
final class JdkRequestBodies {

    private static final String AN_ETA = " must be an ISO date (yyyy-mm-dd) in the years " + Eta.FIRST_YEAR
            + " to " + Eta.LAST_YEAR + ", or null, was ";

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** {@code {"ref", "sku", "qty", "eta"}}; eta an ISO date, null or absent (in the warehouse now). */
    CreateBatch createBatch(byte[] body) {
        JsonNode json = object(body);
        String ref = text(json, "ref");
        String sku = text(json, "sku");
        int qty = integer(json, "qty");
        LocalDate eta = optionalDate(json, "eta");
        return validated(() -> new CreateBatch(ref, sku, qty, eta));
    }

    /** {@code {"orderid", "sku", "qty"}}. */
    Allocate allocate(byte[] body) {
        JsonNode json = object(body);
        String orderId = text(json, "orderid");
        String sku = text(json, "sku");
        int qty = integer(json, "qty");
        return validated(() -> new Allocate(orderId, sku, qty));
    }

    /**
     * What {@code call} returns; a value the domain refuses (its message naming the field) becomes a 400
     * with that message.
     */
    static <T> T validated(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw JdkClientError.badRequest(e.getMessage());
        }
    }

    private JsonNode object(byte[] body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JacksonException e) {
            throw JdkClientError.badRequest("Malformed JSON: " + e.getOriginalMessage() + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (json == null || json.isMissingNode()) {
            throw JdkClientError.badRequest("The request body must be a JSON object, was empty");
        }
        if (!json.isObject()) {
            throw JdkClientError.badRequest("The request body must be a JSON object, was " + describe(json));
        }
        return json;
    }

    private static JsonNode present(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null) {
            throw JdkClientError.badRequest("Missing field " + field);
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = present(json, field);
        if (!value.isString()) {
            throw JdkClientError.badRequest(field + " must be a string, was " + describe(value));
        }
        return value.stringValue();
    }

    private static int integer(JsonNode json, String field) {
        JsonNode value = present(json, field);
        if (!value.isIntegralNumber()) {
            throw JdkClientError.badRequest(field + " must be an integer, was " + describe(value));
        }
        if (!value.canConvertToInt()) {
            throw JdkClientError.badRequest(field + " is out of range, was " + value.asString());
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
            throw JdkClientError.badRequest(field + AN_ETA + describe(value));
        }
        try {
            return LocalDate.parse(value.stringValue());
        } catch (DateTimeParseException e) {
            throw JdkClientError.badRequest(field + AN_ETA + "\"" + abbreviate(value.stringValue()) + "\"");
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
