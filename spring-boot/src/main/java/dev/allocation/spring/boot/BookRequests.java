package dev.allocation.spring.boot;

import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.wire.RequestBodies;
import java.util.function.Supplier;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The book's request bodies turned into commands by the service's rules and words, the published
 * language's {@link RequestBodies} (which the service's HTTP edge uses too): strict JSON (valid UTF-8, no
 * duplicate key, nothing after the value), each field checked for presence and JSON type with no coercion
 * ("10" is no number, 10.0 no integer, null no string), fields the API does not know ignored. A refusal is
 * a {@link Refused} naming the field and what was wrong: a 400.
 */
final class BookRequests {

    /** Writes answers as the service does: "a/b", not "a\/b"; an emoji as its two escapes. */
    static final JsonMapper WRITER = JsonMapper.builder()
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

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
        return validated(() -> RequestBodies.createBatch(body));
    }

    /** {@code {"orderid", "sku", "qty"}}. */
    static Allocate allocate(byte[] body) {
        return validated(() -> RequestBodies.allocate(body));
    }

    /** What {@code call} returns; a value the domain refuses (its message naming the field) is refused. */
    static <T> T validated(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Refused(e.getMessage());
        }
    }
}
