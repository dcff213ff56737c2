package dev.allocation.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/** A status, a JSON body and extra headers, ready to send. */
record Response(int status, JsonNode body, Map<String, String> headers) {

    static Response json(int status, JsonNode body) {
        return new Response(status, body, Map.of());
    }

    /** {@code {"message": ...}}: the body of every answer that is not data. */
    static Response message(int status, String message) {
        return json(status, JsonNodeFactory.instance.objectNode().put("message", message));
    }

    Response withHeaders(Map<String, String> extra) {
        return new Response(status, body, extra);
    }
}
