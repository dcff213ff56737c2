package dev.allocation.adapters.http;

import java.util.Map;

/** A request the API refuses: the status to answer, a message naming the problem, extra headers. */
final class ClientError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final transient Map<String, String> headers;

    ClientError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    static ClientError badRequest(String message) {
        return new ClientError(400, message, Map.of());
    }
}
