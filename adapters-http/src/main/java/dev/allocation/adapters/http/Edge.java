package dev.allocation.adapters.http;

import dev.allocation.application.LogText;
import dev.allocation.application.TooMuchContention;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Refusal;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.slf4j.MDC;

/**
 * What every listener (the API, the admin API) does for every request alike, whatever it routes: the
 * bearer token, the request id, the body read without a thread waiting for it and within its deadline
 * and size limit, the bound on requests handled at once and waiting ({@link Admission}, 503 beyond it),
 * the mapping of failures to statuses, the refusal of new requests while stopping, and one access line per
 * request. What a request means is its listener's {@link Routes}.
 *
 * <p>Every answer carries {@code X-Request-Id}: the client's own when it sent a usable one, else a new
 * one; every log line about the request carries it too (MDC {@value #MDC_REQUEST_ID}).
 *
 * <p>Failures: a missing or wrong bearer token (when one is configured) is a 401 with
 * {@code WWW-Authenticate}; a body over the limit 413; a body not sent in time 408; a {@link Refusal} or
 * a {@link ClientError} of the routes its status; a full queue, a command that kept losing races, storage
 * that cannot be reached and a listener that is stopping 503 with {@code Retry-After}; anything else 500
 * with a generic message, the stack trace going to the log only.
 *
 * <p>Threads: Jetty calls {@link #handle} once the headers are in, on one of its threads; the body is read
 * as it arrives, without a thread waiting for it; only a request read whole is routed, on the thread that
 * read its last bytes when {@link Admission} admits it at once (so a request usually runs where it was
 * read, with no hand-over to another thread), later on another of Jetty's threads when it had to wait.
 * The thread that routes it writes the answer.
 */
final class Edge extends Handler.Abstract {

    /** The MDC key of every log line about a request. */
    static final String MDC_REQUEST_ID = "request_id";
    static final String REQUEST_ID = "X-Request-Id";
    private static final Map<String, String> RETRY_AFTER = Map.of("Retry-After", "1");
    /** An id a client may choose: short, and nothing that could break a log line or a header. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** A body over the limit but no larger than this is read through before the 413, so that the answer arrives. */
    private static final long DRAIN_LIMIT = 1 << 20;

    private final Routes routes;
    private final HttpConfig config;
    private final Admission admission;
    private final Logger log;
    private final byte[] tokenDigest;   // null: no token asked for
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    /** {@code log} is the listener's: its access lines and failures are logged under its name. */
    Edge(Routes routes, HttpConfig config, Logger log) {
        super(InvocationType.BLOCKING);   // a route may wait for storage: never on Jetty's selector
        this.routes = routes;
        this.config = config;
        this.admission = new Admission(config.threads(), config.queueCapacity(),
                task -> getServer().getThreadPool().execute(task));
        this.log = log;
        this.tokenDigest = config.apiToken().map(Edge::digest).orElse(null);
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
        Reply immediate = routes.immediate(exchange.method, exchange.path);
        if (stopping && immediate == null) {
            exchange.send(Reply.message(503, "The service is stopping, try again", RETRY_AFTER));
        } else if (tokenDigest != null && !routes.open(exchange.path) && !authorized(request)) {
            exchange.send(Reply.message(401, "A valid bearer token is needed (Authorization: Bearer <token>)",
                    Map.of("WWW-Authenticate", "Bearer")));
        } else if (request.getLength() > DRAIN_LIMIT) {
            exchange.send(tooLarge());   // too much to read through: answered at once, the connection closed
        } else {
            request.addIdleTimeoutListener(timeout -> exchange.bodyRead);   // once read, a slow command is no timeout
            if (request.getLength() > config.maxBodyBytes()) {
                exchange.discard(tooLarge());
            } else {
                exchange.read(new ByteArrayOutputStream(), immediate);
            }
        }
        return true;
    }

    /** The one check of the bearer token, for every listener. */
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

    /** The client's {@code X-Request-Id} when it is usable, else a new random one. */
    static String requestId(Request request) {
        String given = request.getHeaders().get(REQUEST_ID);
        return given != null && CLIENT_ID.matcher(given).matches() ? given
                : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
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
        /** Set when the body is not all there at once, the first time the reading waits; touched by the reading only. */
        private Scheduler.Task deadline;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.method = request.getMethod();
            this.path = request.getHttpURI().getPath();
            this.requestId = requestId(request);
        }

        /**
         * Reads what has arrived of the body; asks to be called again when more arrives. Once read whole,
         * answers {@code immediate}, or hands the request to a worker. Not Jetty's
         * {@code Content.Source.asByteArrayAsync(source, maxSize)}: past its limit that fails the request's
         * content, and the connection closes under a client still sending, which then loses the 413 to a
         * reset; here the rest is read through first ({@link #discard}).
         */
        void read(ByteArrayOutputStream body, Reply immediate) {
            while (reading.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    awaitMore(() -> read(body, immediate));
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    cancelDeadline();
                    stopReading(unreadable(chunk.getFailure()));
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                if (body.size() + bytes.remaining() > config.maxBodyBytes()) {
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (last) {
                        cancelDeadline();
                        stopReading(tooLarge());
                    } else {
                        discard(tooLarge());
                    }
                    return;
                }
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.writeBytes(copy);
                chunk.release();
                if (chunk.isLast()) {
                    cancelDeadline();
                    if (reading.compareAndSet(true, false)) {   // else the deadline passed: answered 408
                        bodyRead = true;
                        if (immediate != null) {
                            send(immediate);
                        } else {
                            dispatch(body.toByteArray());
                        }
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
        void discard(Reply reply) {
            while (reading.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    awaitMore(() -> discard(reply));
                    return;
                }
                boolean failed = Content.Chunk.isFailure(chunk);
                boolean last = failed || chunk.isLast();
                if (!failed) {
                    discarded += chunk.getByteBuffer().remaining();
                }
                chunk.release();
                if (last || discarded > DRAIN_LIMIT) {
                    cancelDeadline();
                    stopReading(reply);
                    return;
                }
            }
        }

        /**
         * Asks for {@code more} to run when more of the body arrives. The first time, starts the deadline
         * of the body: a body there at once, the usual case, costs the scheduler nothing.
         */
        private void awaitMore(Runnable more) {
            if (deadline == null) {
                deadline = getServer().getScheduler().schedule(() -> stopReading(Reply.message(408,
                        "The request body was not received within " + config.maxRequestTime().toMillis() + " ms",
                        Map.of())), remainingNanos(), TimeUnit.NANOSECONDS);
            }
            request.demand(more);
        }

        /** What is left of the time to send the body, counted from the headers' arrival. */
        private long remainingNanos() {
            return Math.max(0, config.maxRequestTime().toNanos() - (System.nanoTime() - started));
        }

        private void cancelDeadline() {
            if (deadline != null) {
                deadline.cancel();
            }
        }

        /**
         * Ends the reading of the body with {@code reply}, unless it ended already: the deadline and the
         * body's last bytes race, and exactly one of them decides whether the route runs.
         */
        void stopReading(Reply reply) {
            if (reading.compareAndSet(true, false)) {
                send(reply);
            }
        }

        private void dispatch(byte[] body) {
            boolean admitted = admission.run(() -> {
                MDC.put(MDC_REQUEST_ID, requestId);   // every line the route logs names the request
                try {
                    send(stopping ? Reply.message(503, "The service is stopping, try again", RETRY_AFTER)
                            : respond(new Call(method, path, request.getHttpURI().getQuery(), body)));
                } finally {
                    MDC.remove(MDC_REQUEST_ID);
                }
            });
            if (!admitted) {
                send(Reply.message(503, "The service is busy, try again", RETRY_AFTER));
            }
        }

        private Reply respond(Call call) {
            try {
                return routes.route(call);
            } catch (ClientError e) {
                return Reply.message(e.status, e.getMessage(), e.headers);
            } catch (Refusal e) {
                return Reply.message(400, e.getMessage(), Map.of());
            } catch (TooMuchContention e) {
                log.warn("{} {}: {}", LogText.escape(method), LogText.escape(path), LogText.escape(e.getMessage()));
                return Reply.message(503, "Too many concurrent changes to this product, try again", RETRY_AFTER);
            } catch (StorageUnavailable e) {
                log.warn("{} {}: {}", LogText.escape(method), LogText.escape(path), LogText.escape(e.getMessage()));
                return Reply.message(503, "Storage is unavailable, try again", RETRY_AFTER);
            } catch (RuntimeException e) {
                log.error("{} {} failed", LogText.escape(method), LogText.escape(path), e);
                return Reply.message(500, "Internal server error", Map.of());
            }
        }

        /** Writes the answer, once; the request counts as in flight until it is written or failed. */
        void send(Reply reply) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            byte[] bytes = reply.raw() != null ? reply.raw() : WireJson.MAPPER.writeValueAsBytes(reply.body());
            response.setStatus(reply.status());
            if (reply.status() != 204) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            }
            response.getHeaders().put(REQUEST_ID, requestId);
            reply.headers().forEach(response.getHeaders()::put);
            if (!bodyRead || stopping) {
                // the rest of the body may be unread; or the server is stopping and ends keep-alive connections
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            response.write(true, bytes.length == 0 ? null : ByteBuffer.wrap(bytes), Callback.from(() -> {
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

    private Reply tooLarge() {
        return Reply.message(413, "The request body is larger than " + config.maxBodyBytes() + " bytes", Map.of());
    }

    /** A body that could not be read: the client went silent (408) or sent something malformed (400). */
    private Reply unreadable(Throwable failure) {
        if (failure instanceof HttpException http && http.getCode() == 413) {
            return tooLarge();
        }
        if (failure instanceof HttpException http && http.getCode() != 408) {
            return Reply.message(400, "Malformed request body: " + LogText.escape(http.getReason()), Map.of());
        }
        if (failure instanceof java.util.concurrent.TimeoutException || failure instanceof HttpException) {
            return Reply.message(408, "The request body was not received in time", Map.of());
        }
        return Reply.message(400, "The request body could not be read", Map.of());
    }
}
