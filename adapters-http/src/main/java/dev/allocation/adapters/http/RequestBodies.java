package dev.allocation.adapters.http;

import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.util.function.Supplier;

/**
 * Turns request bodies into commands by the published language's rules ({@link
 * dev.allocation.wire.RequestBodies}: strict UTF-8 and JSON, each field checked for presence and JSON type
 * with no coercion, fields the API does not know ignored); each refusal is a 400 naming the field and what
 * was wrong.
 */
final class RequestBodies {

    /** {@code {"ref", "sku", "qty", "eta"}}; eta an ISO date, null or absent (in the warehouse now). */
    CreateBatch createBatch(byte[] body) {
        return validated(() -> dev.allocation.wire.RequestBodies.createBatch(body));
    }

    /** {@code {"orderid", "sku", "qty"}}. */
    Allocate allocate(byte[] body) {
        return validated(() -> dev.allocation.wire.RequestBodies.allocate(body));
    }

    /**
     * What {@code call} returns; a value refused (its message naming the field) becomes a 400 with that
     * message.
     */
    static <T> T validated(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ClientError.badRequest(e.getMessage());
        }
    }
}
