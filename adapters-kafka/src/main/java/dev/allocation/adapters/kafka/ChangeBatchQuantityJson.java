package dev.allocation.adapters.kafka;

import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a record of {@value KafkaBroker#CHANGE_BATCH_QUANTITY} must be, by the rules of the HTTP edge and of
 * the Redis adapter (whose {@code ChangeBatchQuantityWire} states the same rule for its channel: adapters
 * never depend on each other): the value is a JSON object in strict UTF-8 (an invalid or overlong sequence
 * is refused, never replaced), a field appears once, {@code batchref} is a string and {@code qty} an
 * integer within Java's {@code int}, with no coercion, and other fields are ignored; then the domain's
 * command checks the values. The key must be the batch reference, as UTF-8, for it is what keeps one
 * batch's records in one partition, in order. Each refusal is an {@link IllegalArgumentException} naming
 * the field and what was wrong.
 */
final class ChangeBatchQuantityJson {

    private static final String BATCHREF = "batchref";
    private static final String QTY = "qty";

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ChangeBatchQuantityJson() {
    }

    /** A record's key and value as the command, or a refusal saying why not. */
    static ChangeBatchQuantity fromRecord(byte[] key, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("The record has no value (a tombstone)");
        }
        JsonNode json;
        try {
            json = STRICT.readTree(utf8(value, "the value"));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Malformed JSON: " + inHttpWords(e.getOriginalMessage()));
        }
        if (json == null || json.isMissingNode()) {
            throw new IllegalArgumentException("The value must be a JSON object, was empty");
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("The value must be a JSON object, was " + describe(json));
        }
        JsonNode ref = present(json, BATCHREF);
        if (!ref.isString()) {
            throw new IllegalArgumentException(BATCHREF + " must be a string, was " + describe(ref));
        }
        JsonNode qty = present(json, QTY);
        if (!qty.isIntegralNumber()) {
            throw new IllegalArgumentException(QTY + " must be an integer, was " + describe(qty));
        }
        if (!qty.canConvertToInt()) {
            throw new IllegalArgumentException(QTY + " is out of range, was " + abbreviate(qty.asString()));
        }
        ChangeBatchQuantity command = command(ref.stringValue(), qty.intValue());
        String keyText = key == null ? null : utf8(key, "the key");
        if (!command.ref().equals(keyText)) {
            throw new IllegalArgumentException("The key must be the batchref (\"" + abbreviate(command.ref()) + "\"), was "
                    + (keyText == null ? "none" : "\"" + abbreviate(keyText) + "\""));
        }
        return command;
    }

    /** {@code bytes} as text, when they are valid UTF-8; else a refusal naming {@code what} and where. */
    private static String utf8(byte[] bytes, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);   // UTF-8 never makes more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is not valid UTF-8 (byte 0x%02X at %d)",
                    what, bytes[in.position()] & 0xFF, in.position()));
        }
        return out.flip().toString();
    }

    /** The command, its refusals naming the wire's field ({@code batchref}) rather than the record's ({@code ref}). */
    private static ChangeBatchQuantity command(String ref, int qty) {
        try {
            return new ChangeBatchQuantity(ref, qty);
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(message.startsWith("ref ") ? BATCHREF + message.substring(3) : message);
        }
    }

    private static JsonNode present(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null) {
            throw new IllegalArgumentException("Missing field " + field);
        }
        return value;
    }

    /** Jackson 3's "Object property" in the words of the HTTP edge and of Jackson 2: "field". */
    private static String inHttpWords(String parserMessage) {
        return parserMessage.replaceFirst("^Duplicate Object property \"(.*)\"$", "Duplicate field '$1'")
                .replace("property name", "field name");
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
        if (text.length() <= 40) {
            return text;
        }
        int end = Character.isSurrogatePair(text.charAt(39), text.charAt(40)) ? 39 : 40;   // never half a pair
        return text.substring(0, end) + "...";
    }
}
