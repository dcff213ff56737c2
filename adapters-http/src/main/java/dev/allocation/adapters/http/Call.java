package dev.allocation.adapters.http;

import dev.allocation.application.LogText;
import java.util.List;
import java.util.Map;

/**
 * A request read whole, as the routes of a listener see it: its method, its path as sent (still
 * percent-encoded), its query (null: none) and its body.
 */
record Call(String method, String path, String query, byte[] body) {

    /** Refuses a method not {@code allowed}: 405 with {@code Allow}, as every route does. */
    void requireMethod(String... allowed) {
        if (!List.of(allowed).contains(method)) {
            String methods = String.join(", ", allowed);
            throw new ClientError(405, "Method " + LogText.escape(method) + " is not allowed here, use "
                    + String.join(" or ", allowed), Map.of("Allow", methods));
        }
    }

    /** 404 naming the route asked for. */
    ClientError noSuchRoute() {
        return new ClientError(404, "No such route: " + LogText.escape(method) + " " + LogText.escape(path), Map.of());
    }
}
