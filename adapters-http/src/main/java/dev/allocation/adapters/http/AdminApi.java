package dev.allocation.adapters.http;

import dev.allocation.application.LogText;
import dev.allocation.application.OutboxRelay;
import dev.allocation.application.port.OutboxBacklog;
import dev.allocation.application.port.OutboxEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operator's HTTP API, apart from the public one: on its own listener, on the loopback interface
 * unless told otherwise, for the outbox's figures and its dead events. It runs on the same Jetty set-up as
 * {@link HttpApi}, with its limits ({@link HttpConfig#defaults()}) and JSON errors, and a few threads.
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

    private final OutboxRelay outbox;
    private final JsonMapper mapper = WireJson.MAPPER;
    private JettyServer server;

    private AdminApi(OutboxRelay outbox) {
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
        HttpConfig config = HttpConfig.defaults().withHost(Objects.requireNonNull(host, "host must not be null"))
                .withPort(port);
        AdminApi api = new AdminApi(outbox);
        api.server = JettyServer.start("allocation-admin-http", config, 4, api.new AdminHandler());
        return api;
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** Stops listening at once; an admin request in flight is cut. */
    @Override
    public void close() {
        server.stopListening();
        server.stop();
    }

    /** Blocking (the outbox is read from its store): Jetty runs it on one of its pool's threads. */
    private final class AdminHandler extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            Content.Source.consumeAll(request);   // no admin request has a body; Jetty bounds what it reads
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            log.info("Admin {} {}", LogText.escape(method), LogText.escape(path));
            try {
                if (path.equals("/outbox") && method.equals("GET")) {
                    OutboxBacklog backlog = outbox.backlog();
                    send(response, callback, 200, mapper.createObjectNode().put("pending", backlog.pending())
                            .put("oldest_pending_age_ms", backlog.oldestPendingAge().toMillis())
                            .put("dead", backlog.dead()));
                } else if (path.equals(DEAD) && method.equals("GET")) {
                    send(response, callback, 200, dead(limit(request.getHttpURI().getQuery())));
                } else if (path.equals(DEAD) && method.equals("DELETE")) {
                    send(response, callback, 200, mapper.createObjectNode().put("purged", outbox.purgeDead()));
                } else if (path.startsWith(DEAD + "/") && path.endsWith("/republish") && method.equals("POST")) {
                    found(response, callback, outbox.republish(path.substring(DEAD.length() + 1,
                            path.length() - "/republish".length())));
                } else if (path.startsWith(DEAD + "/") && method.equals("DELETE")) {
                    found(response, callback, outbox.purge(path.substring(DEAD.length() + 1)));
                } else {
                    send(response, callback, 404, message("No such admin resource"));
                }
            } catch (IllegalArgumentException e) {
                send(response, callback, 400, message(e.getMessage()));
            } catch (RuntimeException e) {
                log.warn("Admin request failed", e);
                send(response, callback, 503, message("The outbox cannot be read now: " + e.getMessage()));
            }
            return true;
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

    private void found(Response response, Callback callback, boolean found) throws IOException {
        if (found) {
            response.setStatus(204);
            response.write(true, null, callback);
        } else {
            send(response, callback, 404, message("No dead event has that id"));
        }
    }

    private ObjectNode message(String text) {
        return mapper.createObjectNode().put("message", text);
    }

    private void send(Response response, Callback callback, int status, Object body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
