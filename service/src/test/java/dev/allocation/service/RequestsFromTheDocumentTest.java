package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.service.OpenApiDocument.Located;
import dev.allocation.service.OpenApiDocument.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Requests generated from the OpenAPI document's own schemas, valid and invalid, sent to a running
 * service on both listeners, with and without an API token: every answer is one the document describes.
 *
 * <p>Each request is an operation of the document (or another method on its path), its path and query
 * parameters and its body drawn from the schemas by {@link SchemaArbitraries}, the body sometimes made
 * malformed (cut short, trailing content, a duplicate field, bytes that are not UTF-8, not an object,
 * empty, over the size limit), with a token or none or a wrong one, with an {@code X-Request-Id} of the
 * client's or none. The document's own validator says whether the request is valid. Then:
 *
 * <ul>
 *   <li>no answer is a 5xx;</li>
 *   <li>its status is listed for that operation (405 with {@code Allow} naming the path's methods, for
 *       another method); its body is valid against that status's schema, of the media type listed; every
 *       header the answer must carry is there and valid against its schema; a usable
 *       {@code X-Request-Id} of the client's comes back;</li>
 *   <li>an operation that asks for the token answers 401 to a request without the right one when the
 *       service has a token, and one that does not never answers 401;</li>
 *   <li>a request the document says is invalid is refused (4xx), never acknowledged: the document is not
 *       stricter than the service;</li>
 *   <li>a request the document says is valid is never refused for its form: a 400 to it names no field or
 *       parameter of the request and no malformation, only what the domain refuses (an unknown sku, a
 *       batch reference that exists already): the document is not looser than the service.</li>
 * </ul>
 *
 * <p>Tries are bounded (a few hundred per listener and token), each a real HTTP exchange with an
 * in-memory service: the whole class takes seconds. A failure is shrunk by jqwik to a small request, and
 * its seed is kept under {@code target/jqwik-database} to run first next time.
 */
class RequestsFromTheDocumentTest {

    /** The statistics of the answers: valid or invalid requests, and the class of their answers' statuses. */
    private static final String ANSWERS = "validity and answer";
    private static final String TOKEN = "a-token-the-property-test-sends";
    private static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    /** The body limit the document states (413 over 64 KiB): a body just over it. */
    private static final int OVERSIZED_BODY = 64 * 1024 + 100;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Reads a body as the service promises to: duplicate keys and trailing content are malformed. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final OpenApiDocument DOCUMENT = new OpenApiDocument();
    private static RunningService open;
    private static RunningService guarded;

    enum Credential { NONE, WRONG, RIGHT }

    /** One generated request, and what the document says of it. */
    record Call(Operation operation, String method, String target, List<String> pathErrors, byte[] body,
                List<String> errors, Credential credential, String requestId) {

        boolean valid() {
            return errors.isEmpty();
        }

        boolean documentedMethod() {
            return method.equalsIgnoreCase(operation.method());
        }

        @Override
        public String toString() {
            String shownBody = body == null ? "" : " " + (body.length > 300
                    ? new String(body, 0, 300, StandardCharsets.UTF_8) + "... (" + body.length + " bytes)"
                    : new String(body, StandardCharsets.UTF_8));
            return method + " " + target + shownBody + " [" + credential + (requestId == null ? "" : ", X-Request-Id: "
                    + requestId) + "] " + (valid() ? "valid" : "invalid: " + errors);
        }
    }

    @BeforeContainer
    static void start() {
        open = RunningService.start(TestConfigs.inMemory(), Bootstrap.builder().notifications((to, message) -> { }));
        ServiceConfig withToken = new ServiceConfig("127.0.0.1", 0, true, Optional.empty(), Optional.empty(),
                Optional.empty(), Path.of("data"), Optional.empty(), Optional.empty(), "127.0.0.1", 0, Optional.of(TOKEN),
                false, ServiceConfig.Operations.DEFAULTS);
        guarded = RunningService.start(withToken, Bootstrap.builder().notifications((to, message) -> { }));
    }

    @AfterContainer
    static void stop() {
        if (guarded != null) {
            guarded.close();
        }
        if (open != null) {
            open.close();
        }
    }

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void the_api_without_a_token_answers_every_generated_request_as_the_document_says(@ForAll("apiCalls") Call call) {
        conforms(open.port(), false, call);
    }

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void the_api_with_a_token_answers_every_generated_request_as_the_document_says(@ForAll("apiCalls") Call call) {
        conforms(guarded.port(), true, call);
    }

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void the_admin_listener_without_a_token_answers_every_generated_request_as_the_document_says(
            @ForAll("adminCalls") Call call) {
        conforms(open.adminPort(), false, call);
    }

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void the_admin_listener_with_a_token_answers_every_generated_request_as_the_document_says(
            @ForAll("adminCalls") Call call) {
        conforms(guarded.adminPort(), true, call);
    }

    @Provide
    Arbitrary<Call> apiCalls() {
        return calls(false);
    }

    @Provide
    Arbitrary<Call> adminCalls() {
        return calls(true);
    }

    // ---------------------------------------------------------------- generation, from the document

    private static Arbitrary<Call> calls(boolean admin) {
        List<Tuple.Tuple2<Integer, Arbitrary<Operation>>> operations = DOCUMENT.operations().stream()
                .filter(operation -> operation.admin() == admin)
                .map(operation -> Tuple.of(weight(operation), Arbitraries.just(operation))).toList();
        return frequencyOf(operations).flatMap(operation -> Combinators.combine(method(operation), path(operation),
                query(operation), body(operation), credential(), requestId()).as((method, path, query, body, credential, id) -> {
                    boolean documented = method.equalsIgnoreCase(operation.method());
                    List<String> errors = new ArrayList<>(path.errors());
                    errors.addAll(query.errors());
                    if (documented) {
                        errors.addAll(body.errors());
                    }
                    return new Call(operation, method, path.text() + query.text(), path.errors(),
                            documented ? body.bytes() : null, errors, credential, id);
                }));
    }

    /** More tries where there is more to generate: a request body, then parameters. */
    private static int weight(Operation operation) {
        return DOCUMENT.requestSchema(operation).missing() ? DOCUMENT.parameters(operation).isEmpty() ? 1 : 2 : 4;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Arbitrary<T> frequencyOf(List<Tuple.Tuple2<Integer, Arbitrary<T>>> choices) {
        return Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
    }

    /** The operation's method, now and then one its path does not list. */
    private static Arbitrary<String> method(Operation operation) {
        List<String> others = HTTP_METHODS.stream().filter(method -> !operation.methodsOfThePath().contains(method)).toList();
        return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(operation.method().toUpperCase(Locale.ROOT))),
                Tuple.of(1, Arbitraries.of(others)));
    }

    /** A part of the request and what the document says is wrong with it. */
    record Part(String text, List<String> errors) {
    }

    /** The path, each parameter drawn from its schema and percent-encoded (UTF-8) as one segment. */
    private static Arbitrary<Part> path(Operation operation) {
        List<Located> parameters = DOCUMENT.parameters(operation).stream()
                .filter(parameter -> parameter.node().path("in").asString().equals("path")).toList();
        if (parameters.isEmpty()) {
            return Arbitraries.just(new Part(operation.path(), List.of()));
        }
        List<Arbitrary<String>> values = parameters.stream()
                .map(parameter -> SchemaArbitraries.text(DOCUMENT, parameter.at("schema"))).toList();
        return Combinators.combine(values).as(texts -> {
            String path = operation.path();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                Located parameter = parameters.get(i);
                String name = parameter.node().path("name").asString();
                path = path.replace("{" + name + "}", encode(texts.get(i)));
                DOCUMENT.errors(parameter.at("schema"), JSON.stringNode(texts.get(i)))
                        .forEach(error -> errors.add(name + ": " + error));
            }
            return new Part(path, errors);
        });
    }

    /** The query: each parameter present or not, its text drawn from its schema. */
    private static Arbitrary<Part> query(Operation operation) {
        List<Located> parameters = DOCUMENT.parameters(operation).stream()
                .filter(parameter -> parameter.node().path("in").asString().equals("query")).toList();
        if (parameters.isEmpty()) {
            return Arbitraries.just(new Part("", List.of()));
        }
        List<Arbitrary<Optional<String>>> values = parameters.stream().map(parameter -> Arbitraries.frequencyOf(
                Tuple.of(3, SchemaArbitraries.text(DOCUMENT, parameter.at("schema")).map(Optional::of)),
                Tuple.of(1, Arbitraries.just(Optional.<String>empty())))).toList();
        return Combinators.combine(values).as(texts -> {
            StringBuilder query = new StringBuilder();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                Located parameter = parameters.get(i);
                String name = parameter.node().path("name").asString();
                Optional<String> text = texts.get(i);
                if (text.isEmpty()) {
                    if (parameter.node().path("required").asBoolean(false)) {
                        errors.add(name + ": missing");
                    }
                    continue;
                }
                query.append(query.length() == 0 ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(text.get(), StandardCharsets.UTF_8));
                JsonNode value = text.get().matches("-?[0-9]+") ? JSON.numberNode(new java.math.BigInteger(text.get()))
                        : JSON.stringNode(text.get());
                DOCUMENT.errors(parameter.at("schema"), value).forEach(error -> errors.add(name + ": " + error));
            }
            return new Part(query.toString(), errors);
        });
    }

    /** The body and what the document says of it. */
    record Body(byte[] bytes, List<String> errors) {
    }

    /** The JSON body from its schema, mostly as is, sometimes malformed; none when the operation has none. */
    private static Arbitrary<Body> body(Operation operation) {
        Located schema = DOCUMENT.requestSchema(operation);
        if (schema.missing()) {
            return Arbitraries.just(new Body(null, List.of()));
        }
        Arbitrary<JsonNode> values = SchemaArbitraries.values(DOCUMENT, schema);
        Arbitrary<byte[]> bytes = values.flatMap(value -> Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(bytes(value.toString()))),
                Tuple.of(1, Arbitraries.integers().between(0, Math.max(0, value.toString().length() - 1))
                        .map(cut -> bytes(value.toString().substring(0, cut)))),
                Tuple.of(1, Arbitraries.of("x", "}", ",", " {}", "[").map(tail -> bytes(value + tail))),
                Tuple.of(1, Arbitraries.just(duplicateField(value))),
                Tuple.of(1, Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xFF},
                        new byte[] {(byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xED, (byte) 0xA0,
                                (byte) 0x80}).map(invalid -> insideTheFirstString(value, invalid))),
                Tuple.of(1, Arbitraries.of("", " ", "null", "[]", "10", "\"text\"", "{\"a\": NaN}").map(RequestsFromTheDocumentTest::bytes)),
                Tuple.of(1, Arbitraries.just(oversized(value)))));
        return bytes.map(raw -> new Body(raw, bodyErrors(schema, raw)));
    }

    private static byte[] duplicateField(JsonNode value) {
        if (!value.isObject() || value.isEmpty()) {
            return bytes(value.toString());
        }
        String name = value.propertyNames().iterator().next();
        String text = value.toString();
        return bytes(text.substring(0, text.length() - 1) + "," + JSON.stringNode(name) + ":" + value.get(name) + "}");
    }

    /** {@code invalid} bytes inside the first string of the body's text (or appended to it). */
    private static byte[] insideTheFirstString(JsonNode value, byte[] invalid) {
        byte[] text = bytes(value.toString());
        int quote = -1;
        for (int i = 0, seen = 0; i < text.length; i++) {
            if (text[i] == '"' && ++seen == 4) {   // the opening quote of the first field's value, when a string
                quote = i;
                break;
            }
        }
        int at = quote < 0 ? text.length : quote + 1;
        byte[] body = new byte[text.length + invalid.length];
        System.arraycopy(text, 0, body, 0, at);
        System.arraycopy(invalid, 0, body, at, invalid.length);
        System.arraycopy(text, at, body, at + invalid.length, text.length - at);
        return body;
    }

    private static byte[] oversized(JsonNode value) {
        ObjectNode object = value.isObject() ? ((ObjectNode) value).deepCopy() : JSON.objectNode();
        object.put("padding", "p".repeat(OVERSIZED_BODY));
        return bytes(object.toString());
    }

    /** What the document says is wrong with a body: not UTF-8, not JSON, or against its schema. */
    private static List<String> bodyErrors(Located schema, byte[] raw) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return List.of("not UTF-8");
        }
        JsonNode value;
        try {
            value = STRICT.readTree(text);
        } catch (JacksonException e) {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        if (value == null || value.isMissingNode()) {
            return List.of("empty");
        }
        List<String> errors = new ArrayList<>(DOCUMENT.errors(schema, value));
        if (raw.length > OVERSIZED_BODY - 100) {
            errors.add("over 64 KiB");
        }
        return errors;
    }

    private static Arbitrary<Credential> credential() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(Credential.RIGHT)),
                Tuple.of(1, Arbitraries.just(Credential.NONE)), Tuple.of(1, Arbitraries.just(Credential.WRONG)));
    }

    /** None mostly; a usable one of the client's; or one the service must replace. */
    private static Arbitrary<String> requestId() {
        Arbitrary<String> usable = Arbitraries.strings().withChars("abcXYZ019._:-").ofMinLength(1).ofMaxLength(64);
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just((String) null)), Tuple.of(2, usable),
                Tuple.of(1, Arbitraries.of("two words", "x".repeat(65), "a/b", "{id}", "")));
    }

    // ---------------------------------------------------------------- the checks, from the document

    private static void conforms(int port, boolean tokenConfigured, Call call) {
        Answer answer = send(port, call);
        int status = answer.status();
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        Operation operation = call.operation();
        String what = call + "\n  answered " + status + " " + answer.headers() + " " + abbreviate(body);
        Statistics.label(ANSWERS).collect(call.valid() ? "valid" : "invalid", (status / 100) + "xx");
        Statistics.label(ANSWERS).coverage(coverage -> {
            coverage.check("valid", "2xx").count(count -> count > 0);
            coverage.check("invalid", "4xx").count(count -> count > 0);
        });

        assertThat(status).as("no 5xx: %s", what).isLessThan(500);

        boolean asksForToken = DOCUMENT.asksForToken(operation);
        boolean unauthorized = tokenConfigured && asksForToken && call.credential() != Credential.RIGHT;
        boolean malformedPath = !call.pathErrors().isEmpty();
        if (unauthorized) {
            assertThat(status == 401 || status == 400 && malformedPath)
                    .as("the token is asked for (401): %s", what).isTrue();
        } else {
            assertThat(status).as("no token asked for: %s", what).isNotEqualTo(401);
        }

        Located response;
        if (!call.documentedMethod() && status == 405) {
            response = DOCUMENT.at("/components/responses/MethodNotAllowed");
            Set<String> allowed = new TreeSet<>();
            answer.all("Allow").forEach(value -> Arrays.stream(value.split(","))
                    .map(String::trim).forEach(allowed::add));
            assertThat(allowed).as("Allow names the path's methods: %s", what)
                    .isEqualTo(new TreeSet<>(operation.methodsOfThePath()));
        } else {
            response = DOCUMENT.resolve(operation.node().at("responses", Integer.toString(status)));
            assertThat(response.missing()).as("status %d is listed for %s: %s", status, operation, what).isFalse();
            if (!call.documentedMethod()) {
                assertThat(unauthorized || malformedPath).as("another method is answered 405: %s", what).isTrue();
            } else if (!unauthorized && !call.valid()) {
                assertThat(status).as("a request the document says is invalid is refused: %s", what).isBetween(400, 499);
            } else if (!unauthorized && status == 400) {
                assertThat(refusedForItsForm(operation, body))
                        .as("a request the document says is valid is not refused for its form: %s", what).isFalse();
            }
        }
        bodyConforms(response, call, answer, body, what);
        headersConform(response, call, answer, what);
    }

    /** Its body is of the media type the response lists, valid against its schema; no body when none is listed. */
    private static void bodyConforms(Located response, Call call, Answer answer, String body, String what) {
        JsonNode content = response.node().path("content");
        if (call.method().equals("HEAD")) {
            return;   // no body, whatever the status
        }
        if (content.isEmpty()) {
            assertThat(body).as("no body is documented: %s", what).isEmpty();
            return;
        }
        String mediaType = answer.header("Content-Type").orElse("").split(";")[0].trim();
        assertThat(content.has(mediaType)).as("%s is documented: %s", mediaType, what).isTrue();
        if (mediaType.equals("application/json")) {
            assertThat(DOCUMENT.errors(response.at("content", mediaType, "schema"), body))
                    .as("the body is valid against the documented schema: %s", what).isEmpty();
        }
    }

    /** Every header the response must carry is there and valid; the client's usable request id comes back. */
    private static void headersConform(Located response, Call call, Answer answer, String what) {
        Located headers = response.at("headers");
        for (String name : headers.node().propertyNames()) {
            Located header = DOCUMENT.resolve(headers.at(name));
            Optional<String> value = answer.header(name);
            if (header.node().path("required").asBoolean(false)) {
                assertThat(value).as("%s is on the answer: %s", name, what).isPresent();
            }
            value.ifPresent(text -> assertThat(DOCUMENT.errors(header.at("schema"), JSON.stringNode(text)))
                    .as("%s: %s is valid: %s", name, text, what).isEmpty());
            if (name.equals("X-Request-Id") && call.requestId() != null && value.isPresent()
                    && DOCUMENT.errors(header.at("schema"), JSON.stringNode(call.requestId())).isEmpty()
                    && !requestLineUnreadable(call, answer)) {
                assertThat(value.get()).as("the client's usable X-Request-Id comes back: %s", what)
                        .isEqualTo(call.requestId());
            }
        }
    }

    /**
     * True for the one refusal the document exempts from echoing the client's request id: a 400 to a
     * request line that cannot be read (an encoded NUL in the path), refused before its headers are.
     */
    private static boolean requestLineUnreadable(Call call, Answer answer) {
        return answer.status() == 400 && call.target().contains("%00");
    }

    /**
     * True when a 400's message names a field or parameter of the request, or a malformation: the words
     * of a refusal for the request's form, not of one the domain makes of valid values.
     */
    private static boolean refusedForItsForm(Operation operation, String body) {
        String text;
        try {
            text = STRICT.readTree(body).path("message").asString("").toLowerCase(Locale.ROOT);
        } catch (JacksonException e) {
            text = "";
        }
        Set<String> words = new HashSet<>(List.of("missing field", "malformed", "the request body"));
        DOCUMENT.parameters(operation).forEach(parameter -> words.add(parameter.node().path("name").asString()));
        Located schema = DOCUMENT.resolve(DOCUMENT.requestSchema(operation));
        if (!schema.missing()) {
            schema.node().path("properties").propertyNames().forEach(words::add);
        }
        return words.stream().map(word -> word.toLowerCase(Locale.ROOT)).anyMatch(text::startsWith);
    }

    /** An answer as it came on the wire. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {

        Optional<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream().findFirst();
        }

        List<String> all(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    /**
     * Sends the request on a connection of its own ({@code Connection: close}), written byte for byte as
     * generated, and reads the answer until the service closes the connection: no client's connection
     * pool mixes one exchange with the next.
     */
    static Answer send(int port, Call call) {
        StringBuilder head = new StringBuilder().append(call.method()).append(' ').append(call.target())
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
        if (call.body() != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(call.body().length).append("\r\n");
        }
        switch (call.credential()) {
            case RIGHT -> head.append("Authorization: Bearer ").append(TOKEN).append("\r\n");
            case WRONG -> head.append("Authorization: Bearer not-").append(TOKEN).append("\r\n");
            case NONE -> { }
        }
        if (call.requestId() != null) {
            head.append("X-Request-Id: ").append(call.requestId()).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (call.body() != null) {
                out.write(call.body());
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes(), call);
        } catch (IOException e) {
            throw new UncheckedIOException(call + ": no answer", e);
        }
    }

    private static Answer parse(byte[] bytes, Call call) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("An answer that is not HTTP: " + call + "\n  answered " + abbreviate(text));
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = unchunked(body);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] unchunked(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (true) {
            int lineEnd = text.indexOf("\r\n", at);
            int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /**
     * Percent-encodes one path segment from UTF-8: every byte but letters, digits, {@code -}, {@code _}
     * and {@code ~}. An unpaired surrogate, which UTF-8 cannot hold, is sent as the three bytes it would
     * take (not UTF-8: the service may refuse it, it must not fail).
     */
    static String encode(String segment) {
        StringBuilder encoded = new StringBuilder();
        segment.codePoints().forEach(codePoint -> {
            if (codePoint < 0x80 && (Character.isLetterOrDigit(codePoint) || codePoint == '-' || codePoint == '_'
                    || codePoint == '~')) {
                encoded.append((char) codePoint);
                return;
            }
            byte[] bytes = Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF
                    ? new byte[] {(byte) (0xE0 | codePoint >> 12), (byte) (0x80 | codePoint >> 6 & 0x3F),
                            (byte) (0x80 | codePoint & 0x3F)}
                    : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                encoded.append('%').append(String.format("%02X", b & 0xFF));
            }
        });
        return encoded.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "... (" + text.length() + " characters)";
    }
}
