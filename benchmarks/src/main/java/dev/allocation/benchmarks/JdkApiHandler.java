package dev.allocation.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.application.LogText;
import dev.allocation.application.TooMuchContention;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The book's Flask app: every route of the API, the mapping of failures to statuses, one log line per
 * request.
 *
 * <p>Routes: {@code POST /add_batch} {@code {"ref","sku","qty","eta"}} → 201; {@code POST /allocate}
 * {@code {"orderid","sku","qty"}} → 202; {@code GET /allocations/{orderid}} → 200
 * {@code [{"sku","batchref"}]} or 404; {@code GET /health} → 200 or 503.
 *
 * <p>Failures: a refused request is a 400 {@code {"message"}} naming the problem (bad JSON, a missing or
 * mistyped field, an invalid value, and every {@link Refusal}, such as an unknown sku); a body over the
 * limit 413; an unknown route 404; another method on a known route 405 with {@code Allow}; a command
 * that kept losing races, storage that cannot be reached and a server that is stopping 503 with
 * {@code Retry-After}; anything else 500 with a generic message, the stack trace going to the log only.
 */
final class JdkApiHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(JdkApiHandler.class);
    private static final String ALLOCATIONS = "/allocations/";
    private static final Map<String, String> RETRY_AFTER = Map.of("Retry-After", "1");

    private final AllocationUseCases useCases;
    private final int maxBodyBytes;
    private final JdkRequestBodies bodies = new JdkRequestBodies();
    /** Jackson 3 with 2.x's output ("a/b", not "a\/b"; an emoji as two escapes), as the HTTP edge writes. */
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    JdkApiHandler(AllocationUseCases useCases, int maxBodyBytes) {
        this.useCases = useCases;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Requests being handled right now. */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * From now on a request is refused with a 503 before it touches anything, and every response closes
     * its connection: only the requests already in flight finish.
     */
    void stopAccepting() {
        stopping = true;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        inFlight.incrementAndGet();   // before reading stopping: stop() counts this request or it is refused
        String method = LogText.escape(exchange.getRequestMethod());
        String path = LogText.escape(exchange.getRequestURI().getRawPath());
        String outcome = "aborted";
        try {
            Response response = stopping
                    ? message(503, "The service is stopping, try again", RETRY_AFTER)
                    : respond(exchange, method, path);
            outcome = Integer.toString(response.status());
            send(exchange, response);
        } catch (IOException e) {
            log.debug("{} {}: connection failed: {}", method, path, e.toString());
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
            log.info("{} {} {} {}ms", method, path, outcome, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private Response respond(HttpExchange exchange, String method, String path) throws IOException {
        try {
            return route(exchange, method, exchange.getRequestURI().getRawPath());
        } catch (JdkClientError e) {
            return message(e.status, e.getMessage(), e.headers);
        } catch (Refusal e) {
            return message(400, e.getMessage(), Map.of());
        } catch (TooMuchContention e) {
            log.warn("{} {}: {}", method, path, LogText.escape(e.getMessage()));
            return message(503, "Too many concurrent changes to this product, try again", RETRY_AFTER);
        } catch (StorageUnavailable e) {
            log.warn("{} {}: {}", method, path, LogText.escape(e.getMessage()));
            return message(503, "Storage is unavailable, try again", RETRY_AFTER);
        } catch (RuntimeException e) {
            log.error("{} {} failed", method, path, e);
            return message(500, "Internal server error", Map.of());
        }
    }

    /** Routes on the path as sent: the escaped one, for the log, is cut to a bounded length. */
    private Response route(HttpExchange exchange, String method, String path) throws IOException {
        switch (path) {
            case "/add_batch":
                requireMethod(method, "POST");
                useCases.handle(bodies.createBatch(body(exchange)));
                return message(201, "OK", Map.of());
            case "/allocate":
                requireMethod(method, "POST");
                useCases.handle(bodies.allocate(body(exchange)));
                return message(202, "OK", Map.of());
            case "/health":
                requireMethod(method, "GET");
                boolean healthy = useCases.isHealthy();
                return new Response(healthy ? 200 : 503,
                        mapper.createObjectNode().put("status", healthy ? "ok" : "unavailable"), Map.of());
            default:
                if (path.startsWith(ALLOCATIONS) && path.indexOf('/', ALLOCATIONS.length()) < 0) {
                    requireMethod(method, "GET");
                    return allocations(decode(path.substring(ALLOCATIONS.length())));
                }
                throw new JdkClientError(404, "No such route: " + method + " " + LogText.escape(path), Map.of());
        }
    }

    private Response allocations(String orderId) {
        List<AllocationView> views = JdkRequestBodies.validated(() -> useCases.allocations(orderId));
        if (views.isEmpty()) {
            return message(404, "No allocations for order " + orderId, Map.of());
        }
        ArrayNode rows = mapper.createArrayNode();
        views.forEach(view -> rows.addObject().put("sku", view.sku()).put("batchref", view.batchRef()));
        return new Response(200, rows, Map.of());
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new JdkClientError(405, "Method " + method + " is not allowed here, use " + allowed,
                    Map.of("Allow", allowed));
        }
    }

    /**
     * Reads the body up to the limit: a declared or actual size over it is a 413, never a 500. Up to the
     * limit is read even then, so that the client reliably sees the answer rather than a reset connection.
     */
    private byte[] body(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes || (declared != null && Long.parseLong(declared.trim()) > maxBodyBytes)) {
            throw new JdkClientError(413, "The request body is larger than " + maxBodyBytes + " bytes", Map.of());
        }
        return body;
    }

    /** Percent-decodes one path segment ("+" stays a plus: it is no space in a path). */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw JdkClientError.badRequest("Malformed percent-encoding in the order id");
        }
    }

    /** {@code {"message": ...}}: the body of every answer that is not data. */
    private Response message(int status, String message, Map<String, String> headers) {
        return new Response(status, mapper.createObjectNode().put("message", message), headers);
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach(exchange.getResponseHeaders()::set);
        if (response.status() == 413 || stopping) {
            // the rest of the body may be unread; or the server is stopping and ends keep-alive connections
            exchange.getResponseHeaders().set("Connection", "close");
        }
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private record Response(int status, JsonNode body, Map<String, String> headers) {
    }
}
