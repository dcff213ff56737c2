package dev.allocation.adapters.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Every route of the API, the mapping of failures to statuses, and one log line per request.
 *
 * <p>Statuses: a refused request is 400 with {@code {"message"}} (the reference service's contract:
 * bad JSON, a missing or mistyped field, an invalid value, and every {@link Refusal}: an unknown sku, a
 * duplicate batch, an order line that conflicts with one already allocated); a body over the limit 413; an unknown route 404; a
 * known route with another method 405 with {@code Allow}; a command that kept losing races, storage that
 * cannot be reached and a server that is stopping 503 with {@code Retry-After}; anything else 500 with a
 * generic message, the stack trace going to the log only. What a log line takes from the request is
 * escaped ({@link LogText}).
 */
final class ApiHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final String ALLOCATIONS_PREFIX = "/allocations/";
    private static final Map<String, String> RETRY_AFTER = Map.of("Retry-After", "1");

    private final AllocationUseCases useCases;
    private final int maxBodyBytes;
    private final RequestBodies bodies = new RequestBodies();
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    ApiHandler(AllocationUseCases useCases, int maxBodyBytes) {
        this.useCases = useCases;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Requests being handled right now. */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * From now on, a request that arrives is refused with a 503 before it touches anything, and every
     * response closes its connection: the server is stopping, and lets only the requests already in
     * flight finish.
     */
    void stopAccepting() {
        stopping = true;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        inFlight.incrementAndGet();   // before looking at stopping: stop() counts this request or it is refused
        String method = LogText.escape(exchange.getRequestMethod());
        String path = LogText.escape(exchange.getRequestURI().getRawPath());
        int status = 0;
        try {
            Response response = stopping
                    ? Response.message(503, "The service is stopping, try again").withHeaders(RETRY_AFTER)
                    : respond(exchange, method, path);
            status = response.status();
            send(exchange, response);
        } catch (IOException e) {
            log.debug("{} {}: connection failed: {}", method, path, e.toString());
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (status == 0) {
                log.info("{} {} aborted {}ms", method, path, millis);
            } else {
                log.info("{} {} {} {}ms", method, path, status, millis);
            }
        }
    }

    private Response respond(HttpExchange exchange, String method, String path) throws IOException {
        try {
            return route(exchange, method, path);
        } catch (ClientError e) {
            return Response.message(e.status(), e.getMessage()).withHeaders(e.headers());
        } catch (Refusal e) {
            return Response.message(400, e.getMessage());
        } catch (TooMuchContention e) {
            log.warn("{} {}: {}", method, path, LogText.escape(e.getMessage()));
            return Response.message(503, "Too many concurrent changes to this product, try again")
                    .withHeaders(RETRY_AFTER);
        } catch (StorageUnavailable e) {
            log.warn("{} {}: {}", method, path, LogText.escape(e.getMessage()));
            return Response.message(503, "Storage is unavailable, try again").withHeaders(RETRY_AFTER);
        } catch (RuntimeException e) {
            log.error("{} {} failed", method, path, e);
            return Response.message(500, "Internal server error");
        }
    }

    private Response route(HttpExchange exchange, String method, String path) throws IOException {
        switch (path) {
            case "/add_batch":
                requireMethod(method, "POST");
                useCases.handle(bodies.createBatch(body(exchange)));
                return Response.message(201, "OK");
            case "/allocate":
                requireMethod(method, "POST");
                useCases.handle(bodies.allocate(body(exchange)));
                return Response.message(202, "OK");
            case "/health":
                requireMethod(method, "GET");
                return useCases.isHealthy() ? Response.json(200, status("ok")) : Response.json(503, status("unavailable"));
            default:
                if (path.startsWith(ALLOCATIONS_PREFIX) && path.indexOf('/', ALLOCATIONS_PREFIX.length()) < 0) {
                    requireMethod(method, "GET");
                    return allocations(decode(path.substring(ALLOCATIONS_PREFIX.length())));
                }
                throw new ClientError(404, "No such route: " + method + " " + path);
        }
    }

    private Response allocations(String orderId) {
        List<AllocationView> views = RequestBodies.validated(() -> useCases.allocations(orderId));
        if (views.isEmpty()) {
            return Response.message(404, "No allocations for order " + orderId);
        }
        ArrayNode rows = mapper.createArrayNode();
        for (AllocationView view : views) {
            rows.addObject().put("sku", view.sku()).put("batchref", view.batchRef());
        }
        return Response.json(200, rows);
    }

    private ObjectNode status(String status) {
        return mapper.createObjectNode().put("status", status);
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new ClientError(405, "Method " + method + " is not allowed here, use " + allowed,
                    Map.of("Allow", allowed));
        }
    }

    /**
     * Reads the body up to the limit: a declared or actual size over it is a 413, never a 500. Up to
     * the limit is read even then, so that the server can drain the rest and the client reliably sees
     * the answer rather than a reset connection.
     */
    private byte[] body(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes || (declared != null && Long.parseLong(declared.trim()) > maxBodyBytes)) {
            throw new ClientError(413, "The request body is larger than " + maxBodyBytes + " bytes");
        }
        return body;
    }

    /** Percent-decodes one path segment ("+" stays a plus: it is no space in a path). */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ClientError.badRequest("Malformed percent-encoding in the order id");
        }
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (response.status() == 413 || stopping) {
            // the rest of the body may be unread; or the server is stopping and ends keep-alive connections
            exchange.getResponseHeaders().set("Connection", "close");
        }
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
