package dev.allocation.adapters.http;

import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.outbox.OutboxOperations;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operator's HTTP API, apart from the public one: on its own listener, on the loopback interface
 * unless told otherwise, for the outbox's figures and its dead events. It is built as {@link HttpApi} is,
 * from the same pieces: the same edge (the bearer token of its {@link HttpConfig} when one is set, no
 * thread waiting on a client, the deadlines and size limits, JSON errors, {@code X-Request-Id} on every
 * answer, 405 with {@code Allow}), with its own few workers.
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
    private static final String OUTBOX = "/outbox";
    private static final String DEAD = "/outbox/dead";
    private static final String REPUBLISH = "/republish";
    private static final int MAX_LIMIT = 1000;
    /** Workers, and requests that may wait for one, when started without a configuration of its own. */
    private static final int THREADS = 4;
    private static final int QUEUE = 64;

    private final Listener listener;

    private AdminApi(Listener listener) {
        this.listener = listener;
    }

    /**
     * Binds and starts the admin API on {@code host} ({@code "127.0.0.1"} keeps it to this machine) and
     * {@code port} (0: a free one), with the bounds of {@link HttpConfig#defaults()}, 4 workers and no token.
     *
     * @throws IOException when the address cannot be bound
     */
    public static AdminApi start(OutboxOperations outbox, String host, int port) throws IOException {
        return start(outbox, HttpConfig.defaults().withHost(Objects.requireNonNull(host, "host must not be null"))
                .withPort(port).withThreads(THREADS).withQueueCapacity(QUEUE));
    }

    /**
     * Binds and starts the admin API with {@code config}: its interface and port, its bounds, its workers,
     * and its bearer token, which every admin route asks for when there is one.
     *
     * @throws IOException when the address cannot be bound
     */
    public static AdminApi start(OutboxOperations outbox, HttpConfig config) throws IOException {
        Objects.requireNonNull(outbox, "outbox must not be null");
        Objects.requireNonNull(config, "config must not be null");
        return new AdminApi(Listener.start("allocation-admin-http", "the admin API", config, new AdminRoutes(outbox),
                log, log));
    }

    /** The port it listens on. */
    public int port() {
        return listener.port();
    }

    /** Stops listening at once; an admin request in flight is cut. */
    @Override
    public void close() {
        listener.stop(Duration.ZERO);
    }

    /** The admin routes; blocking (the outbox is read from its store), so they run on the workers. */
    private static final class AdminRoutes implements Routes {

        private final OutboxOperations outbox;
        private final JsonMapper mapper = WireJson.MAPPER;

        AdminRoutes(OutboxOperations outbox) {
            this.outbox = outbox;
        }

        @Override
        public Reply route(Call call) {
            try {
                return outboxRoute(call);
            } catch (ClientError e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw ClientError.badRequest(e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Admin request failed", e);
                return Reply.message(503, "The outbox cannot be read now: " + e.getMessage(),
                        Map.of("Retry-After", "1"));
            }
        }

        private Reply outboxRoute(Call call) {
            String path = call.path();
            if (path.equals(OUTBOX)) {
                call.requireMethod("GET");
                OutboxBacklog backlog = outbox.backlog();
                return new Reply(200, mapper.createObjectNode().put("pending", backlog.pending())
                        .put("oldest_pending_age_ms", backlog.oldestPendingAge().toMillis())
                        .put("dead", backlog.dead()), Map.of());
            }
            if (path.equals(DEAD)) {
                call.requireMethod("GET", "DELETE");
                return call.method().equals("GET") ? new Reply(200, dead(limit(call.query())), Map.of())
                        : new Reply(200, mapper.createObjectNode().put("purged", outbox.purgeDead()), Map.of());
            }
            String rest = path.startsWith(DEAD + "/") ? path.substring(DEAD.length() + 1) : "";
            if (rest.endsWith(REPUBLISH) && isSegment(rest.substring(0, rest.length() - REPUBLISH.length()))) {
                call.requireMethod("POST");
                return found(outbox.republish(eventId(rest.substring(0, rest.length() - REPUBLISH.length()))));
            }
            if (isSegment(rest)) {
                call.requireMethod("DELETE");
                return found(outbox.purge(eventId(rest)));
            }
            throw call.noSuchRoute();
        }

        private static boolean isSegment(String text) {
            return !text.isEmpty() && text.indexOf('/') < 0;
        }

        private static String eventId(String segment) {
            return StrictUtf8.percentDecoded(segment, "The event id");
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

        private static Reply found(boolean found) {
            return found ? Reply.noContent() : Reply.message(404, "No dead event has that id", Map.of());
        }
    }

    /** A limit as a person writes it: digits alone, no sign, no leading zero ({@code +5}, {@code 007} are refused). */
    private static final Pattern LIMIT = Pattern.compile("[1-9][0-9]{0,5}");

    private static int limit(String query) {
        if (query == null) {
            return 100;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("limit=")) {
                String value = parameter.substring("limit=".length());
                if (LIMIT.matcher(value).matches() && Integer.parseInt(value) <= MAX_LIMIT) {
                    return Integer.parseInt(value);
                }
                throw ClientError.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        return 100;
    }
}
