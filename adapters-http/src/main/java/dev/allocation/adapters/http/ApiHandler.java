package dev.allocation.adapters.http;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.application.LogText;
import dev.allocation.application.TooMuchContention;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Refusal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The book's Flask app: every route of the API, the mapping of failures to statuses, one log line per
 * request.
 *
 * <p>Routes: {@code POST /add_batch} {@code {"ref","sku","qty","eta"}} → 201; {@code POST /allocate}
 * {@code {"orderid","sku","qty"}} → 202; {@code GET /allocations/{orderid}} → 200
 * {@code [{"sku","batchref"}]} or 404; {@code GET /health} and {@code /health/ready} → 200 or 503, as the
 * {@link Health} given says, with its checks as details; {@code GET /health/live} → 200 while the process runs;
 * {@code GET /metrics} (when given a scrape) and {@code GET /openapi.json}, this API's description.
 *
 * <p>Every answer carries {@code X-Request-Id}: the client's own when it sent a usable one, else a new
 * one; every log line about the request carries it too (MDC {@value #MDC_REQUEST_ID}).
 *
 * <p>Failures: a refused request is a 400 {@code {"message"}} naming the problem (bad JSON, a missing or
 * mistyped field, an invalid value, and every {@link Refusal}, such as an unknown sku); a missing or wrong
 * bearer token (when one is configured) 401 with {@code WWW-Authenticate}; a body over the limit 413; a
 * body not sent in time 408; an unknown route 404; another method on a known route 405 with
 * {@code Allow}; a full queue, a command that kept losing races, storage that cannot be reached and a
 * server that is stopping 503 with {@code Retry-After}; anything else 500 with a generic message, the
 * stack trace going to the log only.
 *
 * <p>Threads: Jetty calls {@link #handle} once the headers are in, on its I/O threads; the body is read
 * as it arrives, without a thread waiting for it; only a request read whole goes to a worker
 * ({@code workers}, bounded, its queue too), which runs the use case and writes the answer.
 */
final class ApiHandler extends Handler.Abstract.NonBlocking {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final String ALLOCATIONS = "/allocations/";
    private static final String HEALTH = "/health";
    private static final String LIVE = "/health/live";
    private static final String READY = "/health/ready";
    private static final Set<String> OPEN = Set.of(HEALTH, LIVE, READY);
    private static final Map<String, String> RETRY_AFTER = Map.of("Retry-After", "1");
    private static final String REQUEST_ID = "X-Request-Id";
    /** The MDC key of every log line about a request. */
    static final String MDC_REQUEST_ID = "request_id";
    /** An id a client may choose: short, and nothing that could break a log line or a header. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    /** A body over the limit but no larger than this is read through before the 413, so that the answer arrives. */
    private static final long DRAIN_LIMIT = 1 << 20;
    private static final byte[] OPENAPI = openApi();

    private final AllocationUseCases useCases;
    private final HttpConfig config;
    private final Executor workers;
    private final byte[] tokenDigest;   // null: no token asked for
    private final RequestBodies bodies = new RequestBodies();
    private final JsonMapper mapper = WireJson.MAPPER;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Supplier<String> metrics;   // null: no /metrics
    private final Supplier<Health> health;
    private volatile boolean stopping;

    ApiHandler(AllocationUseCases useCases, HttpConfig config, Executor workers, Supplier<String> metrics,
               Supplier<Health> health) {
        this.useCases = useCases;
        this.config = config;
        this.workers = workers;
        this.metrics = metrics;
        this.health = health;
        this.tokenDigest = config.apiToken().map(ApiHandler::digest).orElse(null);
    }

    /** Requests received and not answered yet (reading their body, waiting, handled or being written). */
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
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, callback);
        inFlight.incrementAndGet();   // before reading stopping: stop() counts this request or it is refused
        if (exchange.path.equals(LIVE) && "GET".equals(exchange.method)) {
            exchange.send(status(200, "ok"));   // the process is up, stopping or not: nothing to restart
        } else if (stopping) {
            exchange.send(message(503, "The service is stopping, try again", RETRY_AFTER));
        } else if (tokenDigest != null && !OPEN.contains(exchange.path) && !authorized(request)) {
            exchange.send(message(401, "A valid bearer token is needed (Authorization: Bearer <token>)",
                    Map.of("WWW-Authenticate", "Bearer")));
        } else if (request.getLength() > DRAIN_LIMIT) {
            exchange.send(tooLarge());   // too much to read through: answered at once, the connection closed
        } else {
            request.addIdleTimeoutListener(timeout -> exchange.bodyRead);   // once read, a slow command is no timeout
            Scheduler.Task deadline = getServer().getScheduler().schedule(() -> exchange.stopReading(message(408,
                    "The request body was not received within " + config.maxRequestTime().toMillis() + " ms",
                    Map.of())), config.maxRequestTime().toMillis(), TimeUnit.MILLISECONDS);
            if (request.getLength() > config.maxBodyBytes()) {
                exchange.discard(tooLarge(), deadline);
            } else {
                exchange.read(new ByteArrayOutputStream(), deadline);
            }
        }
        return true;
    }

    private boolean authorized(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        return MessageDigest.isEqual(digest(given), tokenDigest);   // the same time whatever matches
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** One request and its answer: sent once, whichever comes first (the answer, a timeout, a failure). */
    private final class Exchange {

        private final long started = System.nanoTime();
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final String method;
        private final String path;
        private final String requestId;
        private final AtomicBoolean reading = new AtomicBoolean(true);
        private final AtomicBoolean answered = new AtomicBoolean();
        private volatile boolean bodyRead;
        private long discarded;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.method = request.getMethod();
            this.path = request.getHttpURI().getPath();
            String given = request.getHeaders().get(REQUEST_ID);
            this.requestId = given != null && CLIENT_ID.matcher(given).matches() ? given : newRequestId();
        }

        /** Reads what has arrived of the body; asks to be called again when more arrives. */
        void read(ByteArrayOutputStream body, Scheduler.Task deadline) {
            while (reading.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(() -> read(body, deadline));
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    deadline.cancel();
                    stopReading(unreadable(chunk.getFailure()));
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                if (body.size() + bytes.remaining() > config.maxBodyBytes()) {
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (last) {
                        deadline.cancel();
                        stopReading(tooLarge());
                    } else {
                        discard(tooLarge(), deadline);
                    }
                    return;
                }
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.writeBytes(copy);
                chunk.release();
                if (chunk.isLast()) {
                    deadline.cancel();
                    if (reading.compareAndSet(true, false)) {   // else the deadline passed: answered 408
                        bodyRead = true;
                        dispatch(body.toByteArray());
                    }
                    return;
                }
            }
        }

        /**
         * Reads the rest of a body too large to keep, throwing it away, then answers {@code reply}: a client
         * still sending when its connection closed would lose the answer to a reset. A body that goes on
         * past {@link #DRAIN_LIMIT} is answered at once.
         */
        void discard(Reply reply, Scheduler.Task deadline) {
            while (reading.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(() -> discard(reply, deadline));
                    return;
                }
                boolean failed = Content.Chunk.isFailure(chunk);
                boolean last = failed || chunk.isLast();
                if (!failed) {
                    discarded += chunk.getByteBuffer().remaining();
                }
                chunk.release();
                if (last || discarded > DRAIN_LIMIT) {
                    deadline.cancel();
                    stopReading(reply);
                    return;
                }
            }
        }

        /**
         * Ends the reading of the body with {@code reply}, unless it ended already: the deadline and the
         * body's last bytes race, and exactly one of them decides whether the use case runs.
         */
        void stopReading(Reply reply) {
            if (reading.compareAndSet(true, false)) {
                send(reply);
            }
        }

        private void dispatch(byte[] body) {
            try {
                workers.execute(() -> {
                    MDC.put(MDC_REQUEST_ID, requestId);   // every line the use case logs names the request
                    try {
                        send(stopping ? message(503, "The service is stopping, try again", RETRY_AFTER) : respond(body));
                    } finally {
                        MDC.remove(MDC_REQUEST_ID);
                    }
                });
            } catch (RejectedExecutionException e) {
                send(message(503, "The service is busy, try again", RETRY_AFTER));
            }
        }

        private Reply respond(byte[] body) {
            try {
                return route(body);
            } catch (ClientError e) {
                return message(e.status, e.getMessage(), e.headers);
            } catch (Refusal e) {
                return message(400, e.getMessage(), Map.of());
            } catch (TooMuchContention e) {
                log.warn("{} {}: {}", LogText.escape(method), LogText.escape(path), LogText.escape(e.getMessage()));
                return message(503, "Too many concurrent changes to this product, try again", RETRY_AFTER);
            } catch (StorageUnavailable e) {
                log.warn("{} {}: {}", LogText.escape(method), LogText.escape(path), LogText.escape(e.getMessage()));
                return message(503, "Storage is unavailable, try again", RETRY_AFTER);
            } catch (RuntimeException e) {
                log.error("{} {} failed", LogText.escape(method), LogText.escape(path), e);
                return message(500, "Internal server error", Map.of());
            }
        }

        /** Routes on the path as sent (still percent-encoded). */
        private Reply route(byte[] body) {
            switch (path) {
                case "/add_batch":
                    requireMethod("POST");
                    useCases.handle(bodies.createBatch(body));
                    return message(201, "OK", Map.of());
                case "/allocate":
                    requireMethod("POST");
                    useCases.handle(bodies.allocate(body));
                    return message(202, "OK", Map.of());
                case HEALTH, READY:
                    requireMethod("GET");
                    return health();
                case "/metrics":
                    if (metrics == null) {
                        throw noSuchRoute();
                    }
                    requireMethod("GET");
                    return new Reply(200, null, metrics.get().getBytes(StandardCharsets.UTF_8), PROMETHEUS, Map.of());
                case "/openapi.json":
                    requireMethod("GET");
                    return new Reply(200, null, OPENAPI, "application/json", Map.of());
                default:
                    if (path.startsWith(ALLOCATIONS) && path.indexOf('/', ALLOCATIONS.length()) < 0) {
                        requireMethod("GET");
                        return allocations(decode(path.substring(ALLOCATIONS.length())));
                    }
                    throw noSuchRoute();
            }
        }

        private ClientError noSuchRoute() {
            return new ClientError(404, "No such route: " + LogText.escape(method) + " " + LogText.escape(path), Map.of());
        }

        private void requireMethod(String allowed) {
            if (!allowed.equals(method)) {
                throw new ClientError(405, "Method " + LogText.escape(method) + " is not allowed here, use "
                        + allowed, Map.of("Allow", allowed));
            }
        }

        /** Writes the answer, once; the request counts as in flight until it is written or failed. */
        void send(Reply reply) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            byte[] bytes = reply.raw() != null ? reply.raw() : mapper.writeValueAsBytes(reply.body());
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.getHeaders().put(REQUEST_ID, requestId);
            reply.headers().forEach(response.getHeaders()::put);
            if (!bodyRead || stopping) {
                // the rest of the body may be unread; or the server is stopping and ends keep-alive connections
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            response.write(true, ByteBuffer.wrap(bytes), Callback.from(() -> {
                callback.succeeded();
                done(Integer.toString(reply.status()));
            }, failure -> {
                callback.failed(failure);
                log.debug("{} {}: connection failed: {}", LogText.escape(method), LogText.escape(path),
                        failure.toString());
                done("aborted");
            }));
        }

        private void done(String outcome) {
            inFlight.decrementAndGet();
            MDC.put(MDC_REQUEST_ID, requestId);
            try {
                log.info("{} {} {} {}ms", LogText.escape(method), LogText.escape(path), outcome,
                        (System.nanoTime() - started) / 1_000_000);
            } finally {
                MDC.remove(MDC_REQUEST_ID);
            }
        }
    }

    private Reply allocations(String orderId) {
        List<AllocationView> views = RequestBodies.validated(() -> useCases.allocations(orderId));
        if (views.isEmpty()) {
            return message(404, "No allocations for order " + orderId, Map.of());
        }
        ArrayNode rows = mapper.createArrayNode();
        views.forEach(view -> rows.addObject().put("sku", view.sku()).put("batchref", view.batchRef()));
        return new Reply(200, rows, Map.of());
    }

    private Reply tooLarge() {
        return message(413, "The request body is larger than " + config.maxBodyBytes() + " bytes", Map.of());
    }

    /** A body that could not be read: the client went silent (408) or sent something malformed (400). */
    private Reply unreadable(Throwable failure) {
        if (failure instanceof HttpException http && http.getCode() == 413) {
            return tooLarge();
        }
        if (failure instanceof HttpException http && http.getCode() != 408) {
            return message(400, "Malformed request body: " + LogText.escape(http.getReason()), Map.of());
        }
        if (failure instanceof java.util.concurrent.TimeoutException || failure instanceof HttpException) {
            return message(408, "The request body was not received in time", Map.of());
        }
        return message(400, "The request body could not be read", Map.of());
    }

    /** Percent-decodes one path segment ("+" stays a plus: it is no space in a path). */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ClientError.badRequest("Malformed percent-encoding in the order id");
        }
    }

    /** {@code {"message": ...}}: the body of every answer that is not data. */
    private Reply message(int status, String message, Map<String, String> headers) {
        return new Reply(status, mapper.createObjectNode().put("message", message), headers);
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

    /** A random id for a request that came without one of its own. */
    private static String newRequestId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
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

    /** An answer: JSON ({@code body}), or bytes of another type ({@code raw}, {@code contentType}). */
    private record Reply(int status, JsonNode body, byte[] raw, String contentType, Map<String, String> headers) {

        Reply(int status, JsonNode body, Map<String, String> headers) {
            this(status, body, null, "application/json", headers);
        }
    }
}
