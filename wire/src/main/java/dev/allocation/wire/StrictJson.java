package dev.allocation.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way this package reads and writes JSON. Writing keeps Jackson 2's bytes, which the service
 * has always sent ({@code "a/b"}, not {@code "a\/b"}; in bytes, a character outside the BMP as its two
 * {@code \}{@code uXXXX} escapes). Reading is strict: valid UTF-8 only (an invalid or overlong sequence
 * is refused, never replaced), a key once, nothing after the value, and each field checked for presence
 * and JSON type with no coercion ("10" is no number, 10.0 no integer, null no string). Each refusal is an
 * {@link IllegalArgumentException} naming the field and what was wrong, in the words of the HTTP edge.
 */
final class StrictJson {

    static final JsonMapper WRITER = JsonMapper.builder()
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /**
     * Writes as {@link #WRITER} does, but {@code &} and {@code =} as {@code \}{@code u0026} and
     * {@code \}{@code u003d}: text without them can never be read as {@code name=value&...}, the outbox's
     * form before versions, by a release that still reads only that form.
     */
    static final JsonMapper WITHOUT_FORM_SEPARATORS = JsonMapper.builder(JsonFactory.builder()
                    .characterEscapes(new FormSeparatorsEscaped()).build())
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private static final JsonMapper STRICT = WRITER.rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /**
     * {@code bytes}, which must be UTF-8, as a JSON object.
     *
     * @param what what the bytes are, without article, such as {@code "message"}: "The message must be a
     *     JSON object, was an array"
     */
    static JsonNode object(byte[] bytes, String what) {
        return object(utf8(bytes, "the " + what), what);
    }

    /** {@code text} as a JSON object; {@code what} as for {@link #object(byte[], String)}. */
    static JsonNode object(String text, String what) {
        JsonNode json;
        try {
            json = STRICT.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Malformed JSON: " + inHttpWords(e.getOriginalMessage()));
        }
        return object(json, what);
    }

    /**
     * An HTTP request body as a JSON object, in the words the HTTP API has always used: bytes that are
     * not UTF-8 are "Malformed JSON: the request body is not valid UTF-8 (at byte N)", counted from 1,
     * and the parser's refusal says where, "(line L, column C)".
     */
    static JsonNode requestBody(byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        int invalid = firstInvalidByte(bytes, CharBuffer.allocate(bytes.length));
        if (invalid >= 0) {   // Jackson would read C0 AF as "/"
            throw new IllegalArgumentException("Malformed JSON: the request body is not valid UTF-8 (at byte "
                    + (invalid + 1) + ")");
        }
        JsonNode json;
        try {
            json = STRICT.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Malformed JSON: " + inHttpWords(e.getOriginalMessage())
                    + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        return object(json, "request body");
    }

    private static JsonNode object(JsonNode json, String what) {
        if (json == null || json.isMissingNode()) {
            throw new IllegalArgumentException("The " + what + " must be a JSON object, was empty");
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("The " + what + " must be a JSON object, was " + describe(json));
        }
        return json;
    }

    /** {@code bytes} as text, when they are valid UTF-8; else a refusal naming {@code what} and where. */
    static String utf8(byte[] bytes, String what) {
        CharBuffer out = CharBuffer.allocate(bytes.length);   // UTF-8 never makes more chars than bytes
        int invalid = firstInvalidByte(bytes, out);
        if (invalid >= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is not valid UTF-8 (byte 0x%02X at %d)",
                    what, bytes[invalid] & 0xFF, invalid));
        }
        return out.flip().toString();
    }

    /** Decodes {@code bytes} into {@code out}; the index of the first byte that is not valid UTF-8, or -1. */
    private static int firstInvalidByte(byte[] bytes, CharBuffer out) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        return result.isError() ? in.position() : -1;
    }

    static JsonNode present(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null) {
            throw new IllegalArgumentException("Missing field " + field);
        }
        return value;
    }

    static String text(JsonNode json, String field) {
        JsonNode value = present(json, field);
        if (!value.isString()) {
            throw new IllegalArgumentException(field + " must be a string, was " + describe(value));
        }
        return value.stringValue();
    }

    static int integer(JsonNode json, String field) {
        JsonNode value = present(json, field);
        if (!value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be an integer, was " + describe(value));
        }
        if (!value.canConvertToInt()) {
            throw new IllegalArgumentException(field + " is out of range, was " + abbreviate(value.asString()));
        }
        return value.intValue();
    }

    /** Jackson 3's "Object property" in the words of the HTTP edge and of Jackson 2: "field". */
    static String inHttpWords(String parserMessage) {
        return parserMessage.replaceFirst("^Duplicate Object property \"(.*)\"$", "Duplicate field '$1'")
                .replace("property name", "field name");
    }

    /** The JSON type of a value, for messages; short strings are quoted so "10" reads as a string. */
    static String describe(JsonNode value) {
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

    /** The first 40 characters of {@code text} and "...", never half a surrogate pair. */
    static String abbreviate(String text) {
        if (text.length() <= 40) {
            return text;
        }
        int end = Character.isSurrogatePair(text.charAt(39), text.charAt(40)) ? 39 : 40;
        return text.substring(0, end) + "...";
    }

    /** JSON's standard escapes, and {@code &} and {@code =} as {@code \}{@code uXXXX}. */
    private static final class FormSeparatorsEscaped extends CharacterEscapes {

        private static final long serialVersionUID = 1L;

        private final int[] escapes = standardAsciiEscapesForJSON();

        FormSeparatorsEscaped() {
            escapes['&'] = ESCAPE_STANDARD;
            escapes['='] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
