package dev.allocation.adapters.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.allocation.application.LogText;
import dev.allocation.application.OutboxRelay;
import dev.allocation.application.port.OutboxBacklog;
import dev.allocation.application.port.OutboxEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP API, apart from the public one: on its own listener, on the loopback interface
 * unless told otherwise, for the outbox's figures and its dead events.
 *
 * <ul>
 *   <li>{@code GET /outbox} → 200 {@code {"pending","oldest_pending_age_ms","dead"}}</li>
 *   <li>{@code GET /outbox/dead?limit=N} → 200, the oldest dead events (100 unless asked), each
 *       {@code {"event_id","sku","type","event","attempts","last_error","recorded_at"}}</li>
 *   <li>{@code POST /outbox/dead/{event_id}/republish} → 204, or 404 when no dead event has that id</li>
 *   <li>{@code DELETE /outbox/dead/{event_id}} → 204, or 404</li>
 *   <li>{@code DELETE /outbox/dead} → 200 {@code {"purged": N}}</li>
 * </ul>
 */
public final class AdminApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    private static final String DEAD = "/outbox/dead";
    private static final int MAX_LIMIT = 1000;

    private final HttpServer server;
    private final ExecutorService worker;
    private final OutboxRelay outbox;
    private final ObjectMapper mapper = new ObjectMapper();

    private AdminApi(HttpServer server, ExecutorService worker, OutboxRelay outbox) {
        this.server = server;
        this.worker = worker;
        this.outbox = outbox;
    }

    /**
     * Binds and starts the admin API on {@code host} ({@code "127.0.0.1"} keeps it to this machine) and
     * {@code port} (0: a free one).
     *
     * @throws IOException when the address cannot be bound
     */
    public static AdminApi start(OutboxRelay outbox, String host, int port) throws IOException {
        Objects.requireNonNull(outbox, "outbox must not be null");
        HttpServer server = HttpServer.create(new InetSocketAddress(Objects.requireNonNull(host), port), 0);
        ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "allocation-admin-http");
            thread.setDaemon(true);
            return thread;
        });
        AdminApi api = new AdminApi(server, worker, outbox);
        server.createContext("/", api::handle);
        server.setExecutor(worker);
        server.start();
        return api;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening at once; an admin request in flight is cut. */
    @Override
    public void close() {
        server.stop(0);
        worker.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            log.info("Admin {} {}", LogText.escape(method), LogText.escape(path));
            if (path.equals("/outbox") && method.equals("GET")) {
                OutboxBacklog backlog = outbox.backlog();
                send(exchange, 200, mapper.createObjectNode().put("pending", backlog.pending())
                        .put("oldest_pending_age_ms", backlog.oldestPendingAge().toMillis())
                        .put("dead", backlog.dead()));
            } else if (path.equals(DEAD) && method.equals("GET")) {
                send(exchange, 200, dead(limit(exchange.getRequestURI().getRawQuery())));
            } else if (path.equals(DEAD) && method.equals("DELETE")) {
                send(exchange, 200, mapper.createObjectNode().put("purged", outbox.purgeDead()));
            } else if (path.startsWith(DEAD + "/") && path.endsWith("/republish") && method.equals("POST")) {
                found(exchange, outbox.republish(path.substring(DEAD.length() + 1, path.length() - "/republish".length())));
            } else if (path.startsWith(DEAD + "/") && method.equals("DELETE")) {
                found(exchange, outbox.purge(path.substring(DEAD.length() + 1)));
            } else {
                send(exchange, 404, message("No such admin resource"));
            }
        } catch (IllegalArgumentException e) {
            send(exchange, 400, message(e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("Admin request failed", e);
            send(exchange, 503, message("The outbox cannot be read now: " + e.getMessage()));
        } finally {
            exchange.close();
        }
    }

    private ArrayNode dead(int limit) {
        ArrayNode events = mapper.createArrayNode();
        for (OutboxEvent event : outbox.dead(limit)) {
            ObjectNode node = events.addObject().put("event_id", event.eventId()).put("sku", event.sku())
                    .put("type", event.event().getClass().getSimpleName());
            node.set("event", mapper.valueToTree(event.event()));
            node.put("attempts", event.attempts()).put("last_error", event.lastError())
                    .put("recorded_at", event.recordedAt().toString());
        }
        return events;
    }

    private static int limit(String query) {
        if (query == null) {
            return 100;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("limit=")) {
                try {
                    int limit = Integer.parseInt(parameter.substring("limit=".length()));
                    if (limit >= 1 && limit <= MAX_LIMIT) {
                        return limit;
                    }
                } catch (NumberFormatException e) {
                    // refused below
                }
                throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        return 100;
    }

    private void found(HttpExchange exchange, boolean found) throws IOException {
        if (found) {
            exchange.sendResponseHeaders(204, -1);
        } else {
            send(exchange, 404, message("No dead event has that id"));
        }
    }

    private ObjectNode message(String text) {
        return mapper.createObjectNode().put("message", text);
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
