package dev.allocation.adapters.http;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mappers of the HTTP edge (Jackson 3, immutable and shared). Jackson 3 changed some defaults
 * of 2.x that would change the bytes on the wire; they are set back here, so that every answer is
 * byte for byte what it was:
 *
 * <ul>
 *   <li>{@code "a/b"}, not {@code "a\/b"} ({@link JsonWriteFeature#ESCAPE_FORWARD_SLASHES});</li>
 *   <li>a character outside the BMP (an emoji) as its two {@code \}{@code uXXXX} escapes, not as four
 *       raw UTF-8 bytes ({@link JsonWriteFeature#COMBINE_UNICODE_SURROGATES_IN_UTF8});</li>
 *   <li>an event's fields in the order of its record, not sorted
 *       ({@link MapperFeature#SORT_PROPERTIES_ALPHABETICALLY}).</li>
 * </ul>
 */
final class WireJson {

    /** Writes answers. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    /** Reads request bodies: a duplicate key or content after the value is malformed JSON. */
    static final JsonMapper STRICT = MAPPER.rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private WireJson() {
    }
}
