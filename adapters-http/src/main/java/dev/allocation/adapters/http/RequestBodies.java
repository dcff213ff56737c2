package dev.allocation.adapters.http;

import dev.allocation.domain.Eta;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns request bodies into commands, strictly: Jackson reads the JSON (duplicate keys and trailing
 * content refused), then each field is checked for presence and JSON type, with no coercion: "10" is
 * not a number, 10.0 is not an integer, null is not a string. Fields the API does not know are ignored,
 * as the reference service does. Each refusal is a 400 naming the field and what was wrong; a body that
 * is not valid UTF-8 (an overlong form, a surrogate, a truncated sequence) is malformed JSON.
 */
final class RequestBodies {

    private static final String AN_ETA = " must be an ISO date (yyyy-mm-dd) in the years " + Eta.FIRST_YEAR
            + " to " + Eta.LAST_YEAR + ", or null, was ";

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*)\"");

    private final JsonMapper mapper = WireJson.STRICT;

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
            throw ClientError.badRequest(e.getMessage());
        }
    }

    private JsonNode object(byte[] body) {
        StrictUtf8.decode(body, "Malformed JSON: the request body");   // Jackson would read C0 AF as "/"
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JacksonException e) {
            throw ClientError.badRequest("Malformed JSON: " + inTheApisWords(e.getOriginalMessage())
                    + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (json == null || json.isMissingNode()) {
            throw ClientError.badRequest("The request body must be a JSON object, was empty");
        }
        if (!json.isObject()) {
            throw ClientError.badRequest("The request body must be a JSON object, was " + describe(json));
        }
        return json;
    }

    /**
     * The parser's message in the words this API has used since its first version: Jackson 3 says
     * "Object property" where Jackson 2 said "field", as the API's own messages do ("Missing field qty"),
     * and clients may match on {@code Duplicate field 'sku'}.
     */
    static String inTheApisWords(String parserMessage) {
        Matcher duplicate = DUPLICATE.matcher(parserMessage);
        if (duplicate.matches()) {
            return "Duplicate field '" + duplicate.group(1) + "'";
        }
        return parserMessage.replace("property name", "field name");
    }

    private static JsonNode present(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null) {
            throw ClientError.badRequest("Missing field " + field);
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = present(json, field);
        if (!value.isString()) {
            throw ClientError.badRequest(field + " must be a string, was " + describe(value));
        }
        return value.stringValue();
    }

    private static int integer(JsonNode json, String field) {
        JsonNode value = present(json, field);
        if (!value.isIntegralNumber()) {
            throw ClientError.badRequest(field + " must be an integer, was " + describe(value));
        }
        if (!value.canConvertToInt()) {
            throw ClientError.badRequest(field + " is out of range, was " + value.asString());
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
            throw ClientError.badRequest(field + AN_ETA + describe(value));
        }
        try {
            return LocalDate.parse(value.stringValue());
        } catch (DateTimeParseException e) {
            throw ClientError.badRequest(field + AN_ETA + "\"" + abbreviate(value.stringValue()) + "\"");
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
