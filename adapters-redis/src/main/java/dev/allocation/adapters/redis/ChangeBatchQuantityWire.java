package dev.allocation.adapters.redis;

import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one home of what {@value RedisBroker#CHANGE_BATCH_QUANTITY} accepts, on the channel and on the
 * stream alike, by the rules of the HTTP edge: the bytes must be UTF-8 (strictly: an invalid or overlong
 * sequence is refused, never replaced), a field appears once, {@code batchref} is a string and
 * {@code qty} an integer within Java's {@code int}, with no coercion; then the domain's command checks
 * the values. A pub/sub message is a JSON object; a stream entry's fields are strings, so its
 * {@code qty} must be written exactly as a JSON integer is ({@code -?(0|[1-9][0-9]*)}): no sign but a
 * minus, no leading zero, no space, no fraction or exponent, ASCII digits only. Each refusal is an
 * {@link IllegalArgumentException} naming the field and what was wrong.
 */
final class ChangeBatchQuantityWire {

    /** A JSON integer, as RFC 8259 writes one. */
    private static final Pattern JSON_INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    private static final String BATCHREF = "batchref";
    private static final String QTY = "qty";

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ChangeBatchQuantityWire() {
    }

    /** A pub/sub message: {@code {"batchref": string, "qty": integer}}; other fields are ignored. */
    static ChangeBatchQuantity fromJson(byte[] message) {
        String text = utf8(message, "the message");
        JsonNode json;
        try {
            json = STRICT.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Malformed JSON: " + inHttpWords(e.getOriginalMessage()));
        }
        if (json == null || json.isMissingNode()) {
            throw new IllegalArgumentException("The message must be a JSON object, was empty");
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("The message must be a JSON object, was " + describe(json));
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
        return command(ref.stringValue(), qty.intValue());
    }

    /**
     * A stream entry's fields, in their order (a field may appear twice in an entry: refused):
     * {@code batchref} and {@code qty}, both UTF-8 text, {@code qty} a JSON integer; other fields are
     * ignored, but must be UTF-8 too, as every byte of a message over HTTP must.
     */
    static ChangeBatchQuantity fromStream(List<Map.Entry<byte[], byte[]>> fields) {
        Set<String> names = new HashSet<>();
        String ref = null;
        String qty = null;
        int position = 0;
        for (Map.Entry<byte[], byte[]> field : fields) {
            position++;
            String name = utf8(field.getKey(), "field " + position + "'s name");
            if (!names.add(name)) {
                throw new IllegalArgumentException("Duplicate field '" + abbreviate(name) + "'");
            }
            String value = utf8(field.getValue(),
                    BATCHREF.equals(name) || QTY.equals(name) ? name : "field " + position + " (" + abbreviate(name) + ")");
            if (BATCHREF.equals(name)) {
                ref = value;
            } else if (QTY.equals(name)) {
                qty = value;
            }
        }
        if (ref == null) {
            throw new IllegalArgumentException("Missing field " + BATCHREF);
        }
        if (qty == null) {
            throw new IllegalArgumentException("Missing field " + QTY);
        }
        return command(ref, integer(qty));
    }

    /** {@code bytes} as text, when they are valid UTF-8; else a refusal naming {@code what} and where. */
    static String utf8(byte[] bytes, String what) {
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

    private static int integer(String qty) {
        if (!JSON_INTEGER.matcher(qty).matches()) {
            throw new IllegalArgumentException(QTY + " must be an integer, written as in JSON (digits and an optional"
                    + " leading minus: no plus, leading zero, space, fraction or exponent), was \"" + abbreviate(qty) + "\"");
        }
        try {
            return Integer.parseInt(qty);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(QTY + " is out of range, was " + abbreviate(qty));
        }
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
