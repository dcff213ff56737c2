package dev.allocation.adapters.http;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * An answer of either listener: JSON ({@code body}), or bytes of another type ({@code raw},
 * {@code contentType}), with extra headers. {@link Edge} writes it, adding what every answer carries.
 */
record Reply(int status, JsonNode body, byte[] raw, String contentType, Map<String, String> headers) {

    Reply(int status, JsonNode body, Map<String, String> headers) {
        this(status, body, null, "application/json", headers);
    }

    /** {@code {"message": ...}}: the body of every answer that is not data. */
    static Reply message(int status, String message, Map<String, String> headers) {
        return new Reply(status, WireJson.MAPPER.createObjectNode().put("message", message), headers);
    }

    /**
     * {@link #message}, serialized once: for an answer that never changes, sent to every request alike.
     * Its bytes are shared and never written to.
     */
    static Reply constant(int status, String message) {
        Reply reply = message(status, message, Map.of());
        return new Reply(status, null, WireJson.MAPPER.writeValueAsBytes(reply.body()), reply.contentType(), Map.of());
    }

    /** 204: done, nothing to say. */
    static Reply noContent() {
        return new Reply(204, null, new byte[0], null, Map.of());
    }
}
