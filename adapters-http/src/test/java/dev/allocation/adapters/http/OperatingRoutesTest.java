package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.allocation.testing.ApiClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** What an operator asks of the edge: liveness and readiness, metrics, the API's description, request ids. */
@Timeout(30)
class OperatingRoutesTest {

    private final FakeUseCases useCases = new FakeUseCases();
    private volatile boolean storageAnswers = true;   // what the health given to the API says
    private HttpApi api;
    private ApiClient client;

    @AfterEach
    void stop() {
        if (api != null) {
            api.stop(Duration.ZERO);
        }
    }

    @Test
    void live_is_up_while_the_process_runs_and_ready_follows_the_storage() throws Exception {
        start(HttpConfig.defaults(), null);

        assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(client.get("/health/ready").body()).isEqualTo("{\"status\":\"ok\"}");
        storageAnswers = false;

        assertThat(client.get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(client.get("/health").statusCode()).isEqualTo(503);
        assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void without_a_health_given_ready_answers_ok_for_as_long_as_the_api_listens() throws Exception {
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0));
        client = new ApiClient(api.port());

        HttpResponse<String> ready = client.get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void ready_answers_what_the_health_given_says_with_its_checks_as_details_that_do_not_decide_it() throws Exception {
        AtomicReference<Health> health = new AtomicReference<>(new Health(true, checks(true, false)));
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0), null, health::get);
        client = new ApiClient(api.port());

        HttpResponse<String> brokerDown = client.get("/health/ready");
        assertThat(brokerDown.statusCode()).isEqualTo(200);
        assertThat(brokerDown.body()).isEqualTo("{\"status\":\"ok\",\"checks\":{\"storage\":\"up\",\"redis\":\"down\"}}");
        health.set(new Health(false, checks(false, true)));
        HttpResponse<String> storageDown = client.get("/health");
        assertThat(storageDown.statusCode()).isEqualTo(503);
        assertThat(storageDown.body())
                .isEqualTo("{\"status\":\"unavailable\",\"checks\":{\"storage\":\"down\",\"redis\":\"up\"}}");
        health.set(null);   // a health source that fails: not ready, never a 500
        assertThat(client.get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(client.get("/health/live").body()).isEqualTo("{\"status\":\"ok\"}");
    }

    private static Map<String, Boolean> checks(boolean storage, boolean redis) {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("storage", storage);
        checks.put("redis", redis);
        return checks;
    }

    @Test
    void while_the_api_stops_ready_is_a_503() throws Exception {
        start(HttpConfig.defaults(), null);
        useCases.delay = Duration.ofSeconds(2);
        try (RawHttp inFlight = new RawHttp(api.port(), Duration.ofSeconds(10));
             RawHttp probe = new RawHttp(api.port(), Duration.ofSeconds(10))) {
            // a probe whose request has begun (an idle connection is closed at the stop), finished once stopping
            probe.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n");
            inFlight.send("POST /allocate HTTP/1.1\r\nHost: t\r\nContent-Length: 42\r\n\r\n"
                    + "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 1}");
            useCases.started.await(5, TimeUnit.SECONDS);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> api.stop(Duration.ofSeconds(5)));
            Thread.sleep(200);

            assertThat(probe.send("\r\n").answer().status()).isEqualTo(503);
            assertThat(inFlight.answer().status()).isEqualTo(202);
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void metrics_are_the_scrape_given_and_ask_for_the_token_when_there_is_one() throws Exception {
        start(HttpConfig.defaults().withApiToken("s3cret"), () -> "allocation_messages_seconds_count 1\n");

        HttpResponse<String> withToken = client.get("/metrics", "Authorization", "Bearer s3cret");
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(withToken.body()).isEqualTo("allocation_messages_seconds_count 1\n");
        assertThat(client.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(client.get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void live_answers_another_method_with_a_405_naming_get() throws Exception {
        start(HttpConfig.defaults(), null);
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            RawHttp.Answer post = raw.send("POST /health/live HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").answer();
            RawHttp.Answer head = raw.send("HEAD /health/live HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").answer();

            assertThat(post.status()).isEqualTo(405);
            assertThat(post.header("Allow")).isEqualTo("GET");
            assertThat(post.body()).isEqualTo("{\"message\":\"Method POST is not allowed here, use GET\"}");
            assertThat(head.status()).isEqualTo(405);
            assertThat(head.header("Allow")).isEqualTo("GET");
        }
    }

    @Test
    void live_keeps_its_connection_open_for_the_next_probe() throws Exception {
        start(HttpConfig.defaults(), null);
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            RawHttp.Answer first = raw.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n").answer();
            RawHttp.Answer second = raw.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n").answer();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.closed()).isFalse();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.closed()).isFalse();
        }
    }

    @Test
    void without_a_scrape_there_is_no_metrics_route() throws Exception {
        start(HttpConfig.defaults(), null);

        assertThat(client.get("/metrics").statusCode()).isEqualTo(404);
    }

    @Test
    void the_api_describes_itself_in_openapi_3_1() throws Exception {
        start(HttpConfig.defaults(), null);

        HttpResponse<String> description = client.get("/openapi.json");

        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(description.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(WireJson.MAPPER.readTree(description.body()).path("openapi").asString()).isEqualTo("3.1.0");
    }

    @Test
    void a_request_id_is_the_clients_when_usable_else_a_new_one_and_every_log_line_of_the_request_carries_it()
            throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger(ApiHandler.class);
        Logger handling = (Logger) LoggerFactory.getLogger(FakeUseCases.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        handling.addAppender(lines);
        access.setLevel(Level.INFO);
        handling.setLevel(Level.DEBUG);
        try {
            start(HttpConfig.defaults(), null);

            HttpResponse<String> given = client.post("/allocate", "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 1}",
                    "X-Request-Id", "order-1:try.2");
            HttpResponse<String> unusable = client.get("/health", "X-Request-Id", "has spaces\tand tabs");
            Set<String> generated = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                generated.add(client.get("/health").headers().firstValue("X-Request-Id").orElseThrow());
            }
            api.stop(Duration.ofSeconds(1));   // every access line is written

            assertThat(given.headers().firstValue("X-Request-Id")).hasValue("order-1:try.2");
            assertThat(unusable.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{16}");
            assertThat(generated).hasSize(20).allMatch(id -> id.matches("[0-9a-f]{16}"));
            assertThat(lines.list).filteredOn(line -> "order-1:try.2".equals(line.getMDCPropertyMap().get("request_id")))
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("handling Allocate", lines.list.stream()
                            .map(ILoggingEvent::getFormattedMessage).filter(line -> line.startsWith("POST /allocate 202"))
                            .findFirst().orElseThrow());
        } finally {
            access.detachAppender(lines);
            handling.detachAppender(lines);
            access.setLevel(null);
            handling.setLevel(null);
        }
    }

    private void start(HttpConfig config, Supplier<String> metrics) throws IOException {
        api = HttpApi.start(useCases, config.withHost("127.0.0.1").withPort(0), metrics,
                () -> Health.of(storageAnswers));
        client = new ApiClient(api.port());
    }
}
