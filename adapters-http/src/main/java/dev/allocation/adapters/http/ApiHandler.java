package dev.allocation.adapters.http;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.application.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The book's Flask app: every route of the API. What every listener does alike (the token, reading,
 * limits, overload, failures as statuses, request ids, the access line, logged under this class's name)
 * is {@link Edge}'s.
 *
 * <p>Routes: {@code POST /add_batch} {@code {"ref","sku","qty","eta"}} → 201; {@code POST /allocate}
 * {@code {"orderid","sku","qty"}} → 202; {@code GET /allocations/{orderid}} → 200
 * {@code [{"sku","batchref"}]} or 404; {@code GET /health} and {@code /health/ready} → 200 or 503, as the
 * {@link Health} given says, with its checks as details; {@code GET /health/live} → 200 while the process runs;
 * {@code GET /metrics} (when given a scrape) and {@code GET /openapi.json}, this API's description.
 *
 * <p>Failures: a refused request is a 400 {@code {"message"}} naming the problem (bad JSON, a missing or
 * mistyped field, an invalid value, and every {@link dev.allocation.domain.Refusal}, such as an unknown
 * sku); an unknown route 404; another method on a known route 405 with {@code Allow}.
 */
final class ApiHandler implements Routes {

    /** The logger of the API's access lines and failures. */
    static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final String ALLOCATIONS = "/allocations/";
    private static final String HEALTH = "/health";
    private static final String LIVE = "/health/live";
    private static final String READY = "/health/ready";
    private static final Set<String> OPEN = Set.of(HEALTH, LIVE, READY);
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final byte[] OPENAPI = openApi();
    /** The answers of the two commands, the same to every request. */
    private static final Reply CREATED = Reply.constant(201, "OK");
    private static final Reply ACCEPTED = Reply.constant(202, "OK");

    private final AllocationUseCases useCases;
    private final RequestBodies bodies = new RequestBodies();
    private final JsonMapper mapper = WireJson.MAPPER;
    private final Supplier<String> metrics;   // null: no /metrics
    private final Supplier<Health> health;

    ApiHandler(AllocationUseCases useCases, Supplier<String> metrics, Supplier<Health> health) {
        this.useCases = useCases;
        this.metrics = metrics;
        this.health = health;
    }

    /** Routes on the path as sent (still percent-encoded). */
    @Override
    public Reply route(Call call) {
        String path = call.path();
        switch (path) {
            case "/add_batch":
                call.requireMethod("POST");
                useCases.handle(bodies.createBatch(call.body()));
                return CREATED;
            case "/allocate":
                call.requireMethod("POST");
                useCases.handle(bodies.allocate(call.body()));
                return ACCEPTED;
            case HEALTH, READY:
                call.requireMethod("GET");
                return health();
            case "/metrics":
                if (metrics == null) {
                    throw call.noSuchRoute();
                }
                call.requireMethod("GET");
                return new Reply(200, null, metrics.get().getBytes(StandardCharsets.UTF_8), PROMETHEUS, Map.of());
            case "/openapi.json":
                call.requireMethod("GET");
                return new Reply(200, null, OPENAPI, "application/json", Map.of());
            case LIVE:
                call.requireMethod("GET");   // a GET was answered at once (immediate)
                return status(200, "ok");
            default:
                if (path.startsWith(ALLOCATIONS) && path.indexOf('/', ALLOCATIONS.length()) < 0) {
                    call.requireMethod("GET");
                    return allocations(decode(path.substring(ALLOCATIONS.length())));
                }
                throw call.noSuchRoute();
        }
    }

    /** Liveness: the process is up, stopping or not, whatever the workers do: nothing to restart. */
    @Override
    public Reply immediate(String method, String path) {
        return path.equals(LIVE) && "GET".equals(method) ? status(200, "ok") : null;
    }

    @Override
    public boolean open(String path) {
        return OPEN.contains(path);
    }

    private Reply allocations(String orderId) {
        List<AllocationView> views = RequestBodies.validated(() -> useCases.allocations(orderId));
        if (views.isEmpty()) {
            return message(404, "No allocations for order " + orderId);
        }
        ArrayNode rows = mapper.createArrayNode();
        views.forEach(view -> rows.addObject().put("sku", view.sku()).put("batchref", view.batchRef()));
        return new Reply(200, rows, Map.of());
    }

    /** Percent-decodes one path segment, strictly: every byte sequence must be valid UTF-8. */
    private static String decode(String segment) {
        return StrictUtf8.percentDecoded(segment, "The order id");
    }

    /** {@code {"message": ...}}: the body of every answer that is not data. */
    private static Reply message(int status, String message) {
        return Reply.message(status, message, Map.of());
    }

    /** {@code {"status": ...}}: the body of the health checks. */
    private Reply status(int status, String state) {
        return new Reply(status, mapper.createObjectNode().put("status", state), Map.of());
    }

    /** {@code {"status": "ok" | "unavailable", "checks": {"<name>": "up" | "down", ...}}}, checks when there are. */
    private Reply health() {
        Health health;
        try {
            health = Objects.requireNonNull(this.health.get(), "the health given answered null");
        } catch (RuntimeException e) {
            log.warn("The health check failed: {}", LogText.escape(e.toString()));
            health = Health.of(false);
        }
        ObjectNode body = mapper.createObjectNode().put("status", health.ready() ? "ok" : "unavailable");
        if (!health.checks().isEmpty()) {
            ObjectNode checks = body.putObject("checks");
            health.checks().forEach((name, up) -> checks.put(name, up ? "up" : "down"));
        }
        return new Reply(health.ready() ? 200 : 503, body, Map.of());
    }

    private static byte[] openApi() {
        try (InputStream in = ApiHandler.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the adapter's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
