package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.ObjectMapper;

/**
 * The admin listener has the API's edge: its token, its slow-client guarantees, its limits, its JSON
 * errors, its request ids and its 405s.
 */
@Timeout(60)
class AdminListenerTest {

    private static final String TOKEN = "s3cret-token-of-the-operator";

    private final FakeOutbox store = new FakeOutbox();
    private AdminApi admin;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void without_the_token_purging_the_dead_events_is_a_401_and_purges_nothing() throws IOException {
        start(config().withApiToken(TOKEN));
        store.dead.set(3);

        RawHttp.Answer refused = send("DELETE /outbox/dead HTTP/1.1\r\nHost: t\r\n\r\n");
        RawHttp.Answer wrong = send("DELETE /outbox/dead HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer nope\r\n\r\n");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(refused.body()).contains("bearer token");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(store.dead).hasValue(3);
    }

    @Test
    void with_the_token_the_dead_events_are_purged() throws IOException {
        start(config().withApiToken(TOKEN));
        store.dead.set(3);

        RawHttp.Answer purged = send("DELETE /outbox/dead HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + TOKEN
                + "\r\n\r\n");

        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.body()).isEqualTo("{\"purged\":3}");
        assertThat(store.dead).hasValue(0);
    }

    @Test
    void every_admin_route_asks_for_the_token() throws IOException {
        start(config().withApiToken(TOKEN));

        for (String request : List.of("GET /outbox", "GET /outbox/dead", "POST /outbox/dead/e1/republish",
                "DELETE /outbox/dead/e1", "GET /no-such-route")) {
            assertThat(send(request + " HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").status()).as(request)
                    .isEqualTo(401);
        }
    }

    @Test
    void two_connections_trickling_a_body_leave_the_outbox_figures_answered() throws Exception {
        start(config());
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean trickling = new AtomicBoolean(true);
        Thread trickler = null;
        try {
            for (int i = 0; i < 2; i++) {
                Socket socket = new Socket("127.0.0.1", admin.port());
                socket.getOutputStream().write("POST /outbox/dead/e1/republish HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            trickler = new Thread(() -> RawHttp.trickle(slow, trickling, Duration.ofSeconds(2)), "trickler");
            trickler.start();
            Thread.sleep(300);

            int answered = 0;
            for (int i = 0; i < 8; i++) {
                RawHttp.Answer answer = send("GET /outbox HTTP/1.1\r\nHost: t\r\n\r\n");
                if (answer.status() == 200 && answer.took().compareTo(Duration.ofSeconds(1)) < 0) {
                    answered++;
                }
            }

            assertThat(answered).isEqualTo(8);
        } finally {
            trickling.set(false);
            if (trickler != null) {
                trickler.join();
            }
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void a_body_over_the_limit_is_a_413_and_a_body_sent_too_slowly_a_408_both_in_json() throws IOException {
        start(config().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5)));

        RawHttp.Answer tooLarge = send("POST /outbox/dead/e1/republish HTTP/1.1\r\nHost: t\r\nContent-Length: 70000\r\n\r\n"
                + "x".repeat(70_000));
        RawHttp.Answer tooSlow = send("POST /outbox/dead/e1/republish HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nx");

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(message(tooLarge)).isEqualTo("The request body is larger than 65536 bytes");
        assertThat(tooSlow.status()).isEqualTo(408);
        assertThat(message(tooSlow)).contains("not received within 500 ms");
    }

    @Test
    void an_unsupported_method_is_a_405_naming_the_allowed_ones() throws IOException {
        start(config());

        RawHttp.Answer outbox = send("PUT /outbox HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        RawHttp.Answer dead = send("POST /outbox/dead HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        RawHttp.Answer republish = send("GET /outbox/dead/e1/republish HTTP/1.1\r\nHost: t\r\n\r\n");
        RawHttp.Answer event = send("GET /outbox/dead/e1 HTTP/1.1\r\nHost: t\r\n\r\n");

        assertThat(List.of(outbox.status(), dead.status(), republish.status(), event.status())).containsOnly(405);
        assertThat(outbox.header("Allow")).isEqualTo("GET");
        assertThat(dead.header("Allow")).isEqualTo("GET, DELETE");
        assertThat(republish.header("Allow")).isEqualTo("POST");
        assertThat(event.header("Allow")).isEqualTo("DELETE");
        assertThat(message(dead)).isEqualTo("Method POST is not allowed here, use GET or DELETE");
        assertThat(send("GET /outbox/dead/a/b HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(404);
    }

    @Test
    void a_limit_is_digits_alone_as_a_person_writes_it() throws IOException {
        start(config());

        List<Integer> refused = new ArrayList<>();
        for (String limit : List.of("+5", "007", "0", "-1", "5.0", "1e2", "%205", "5%20", "", "999999999999")) {
            refused.add(send("GET /outbox/dead?limit=" + limit + " HTTP/1.1\r\nHost: t\r\n\r\n").status());
        }

        assertThat(refused).containsOnly(400);
        assertThat(send("GET /outbox/dead?limit=5 HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void every_admin_answer_carries_a_request_id_the_clients_own_when_usable() throws IOException {
        start(config().withApiToken(TOKEN));
        String auth = "Authorization: Bearer " + TOKEN + "\r\n";

        List<RawHttp.Answer> answers = List.of(
                send("GET /outbox HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n"),
                send("GET /outbox/dead?limit=0 HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n"),
                send("DELETE /outbox/dead/e1 HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n"),
                send("PUT /outbox HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n" + auth + "\r\n"),
                send("GET /outbox HTTP/1.1\r\nHost: t\r\n\r\n"),
                send("GET /outbox/%ZZ HTTP/1.1\r\nHost: t\r\n\r\n"));
        RawHttp.Answer own = send("GET /outbox HTTP/1.1\r\nHost: t\r\nX-Request-Id: op-42\r\n" + auth + "\r\n");

        assertThat(answers).extracting(RawHttp.Answer::status).containsExactly(200, 400, 404, 405, 401, 400);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.header("X-Request-Id")).matches("[0-9a-f]{16}"));
        assertThat(own.header("X-Request-Id")).isEqualTo("op-42");
    }

    private void start(HttpConfig config) throws IOException {
        admin = AdminApi.start(store, config);
    }

    private static HttpConfig config() {
        return HttpConfig.defaults().withHost("127.0.0.1").withPort(0).withThreads(2).withQueueCapacity(8);
    }

    private RawHttp.Answer send(String request) throws IOException {
        try (RawHttp raw = new RawHttp(admin.port(), Duration.ofSeconds(5))) {
            return raw.send(request).answer();
        }
    }

    private static String message(RawHttp.Answer answer) {
        return new ObjectMapper().readTree(answer.body()).path("message").asString();
    }

}
