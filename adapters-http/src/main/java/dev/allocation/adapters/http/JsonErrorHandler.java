package dev.allocation.adapters.http;

import dev.allocation.application.LogText;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer to every request Jetty refuses before a handler sees it (a malformed request line,
 * header or length, bad chunking, an ambiguous or badly encoded URI, headers or a URI over the limit)
 * or that fails without an answer: the API's own {@code {"message": ...}} JSON, never Jetty's HTML
 * page, never an exception's name or a stack trace; with {@code X-Request-Id}, as every answer. Jetty
 * closes the connection after a malformed request.
 */
final class JsonErrorHandler extends ErrorHandler {

    private final JsonMapper mapper = WireJson.MAPPER;
    private final HttpConfig config;

    JsonErrorHandler(HttpConfig config) {
        this.config = config;
        setShowStacks(false);
        setShowCauses(false);
        setShowOrigin(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;   // a body for every method (HEAD's is dropped by Jetty itself)
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(Edge.REQUEST_ID, Edge.requestId(request));
        if (code == HttpStatus.SERVICE_UNAVAILABLE_503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** {@code {"message": ...}} naming the problem in the API's words; Jetty's reason only for a 400. */
    private byte[] body(int status, String reason) {
        return mapper.writeValueAsBytes(mapper.createObjectNode().put("message", message(status, reason)));
    }

    private String message(int status, String reason) {
        return switch (status) {
            case HttpStatus.BAD_REQUEST_400 -> "Malformed request" + (reason == null || reason.isBlank()
                    || reason.equals(HttpStatus.getMessage(status)) ? "" : ": " + LogText.escape(reason));
            case HttpStatus.REQUEST_TIMEOUT_408 -> "The request was not received in time";
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "The request body is larger than " + config.maxBodyBytes()
                    + " bytes";
            case HttpStatus.URI_TOO_LONG_414 -> "The request URI is too long: the request line and headers may take"
                    + " at most " + config.maxHeaderBytes() + " bytes";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "The request headers are too large: the request"
                    + " line and headers may take at most " + config.maxHeaderBytes() + " bytes";
            case HttpStatus.INTERNAL_SERVER_ERROR_500 -> "Internal server error";
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> "The service is unavailable, try again";
            default -> {
                String text = HttpStatus.getMessage(status);
                yield text == null ? "HTTP " + status : text;
            }
        };
    }
}
