package dev.allocation.benchmarks;

import java.util.Map;

/** A request the API refuses: the status to answer, a message naming the problem, extra headers. */
final class JdkClientError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final transient Map<String, String> headers;

    JdkClientError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    static JdkClientError badRequest(String message) {
        return new JdkClientError(400, message, Map.of());
    }
}
