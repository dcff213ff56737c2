package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.application.TooMuchContention;
import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Refusal;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.testing.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adapter's behaviour that end-to-end tests of the service cannot provoke at will: failures of the
 * use cases, stalled clients, graceful stop.
 */
@Timeout(30)
class HttpApiTest {

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
    void a_valid_allocation_reaches_the_use_cases_as_an_allocate_command() throws Exception {
        start(HttpConfig.defaults());

        HttpResponse<String> response = client.post("/allocate", "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 3}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(useCases.handled).containsExactly(new Allocate("o1", "LAMP", 3));
    }

    @Test
    void an_order_id_of_255_characters_is_looked_up_whole() throws Exception {
        start(HttpConfig.defaults());
        String orderId = "\u00e9".repeat(255);   // 1,530 characters once percent-encoded in the path

        HttpResponse<String> response = client.get("/allocations/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[{\"sku\":\"LAMP\",\"batchref\":\"batch-" + orderId + "\"}]");
    }

    @Test
    void a_command_that_kept_losing_races_is_a_503_to_retry() throws Exception {
        start(HttpConfig.defaults());
        useCases.failure = new TooMuchContention("Allocate", 100, new ConcurrencyConflict("LAMP changed"));

        HttpResponse<String> response = client.post("/allocate", "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 3}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).contains("\"message\"");
    }

    @Test
    void every_refusal_is_a_400_with_its_message() throws Exception {
        start(HttpConfig.defaults());
        useCases.failure = new Refusal("Batch b9 is on hold") { };

        HttpResponse<String> response = client.post("/allocate", "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 3}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Batch b9 is on hold");
    }

    @Test
    void storage_that_cannot_be_reached_is_a_503_to_retry() throws Exception {
        start(HttpConfig.defaults());
        useCases.failure = new StorageUnavailable("The database cannot be reached", new java.sql.SQLException("down"));

        HttpResponse<String> response = client.post("/allocate", "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 3}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).contains("\"message\"").doesNotContain("down");
    }

    @Test
    void an_unexpected_failure_is_a_500_that_shows_no_stack_trace() throws Exception {
        start(HttpConfig.defaults());
        useCases.failure = new IllegalStateException("database exploded at com.example.Secret.method");

        HttpResponse<String> response = client.get("/allocations/o1");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal server error\"}");
    }

    @Test
    void health_is_503_when_the_storage_does_not_answer() throws Exception {
        start(HttpConfig.defaults());
        storageAnswers = false;

        HttpResponse<String> response = client.get("/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"status\":\"unavailable\"}");
    }

    @Test
    void a_stalled_client_is_disconnected_and_frees_its_worker() throws Exception {
        start(HttpConfig.defaults().withThreads(1).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)));

        try (Socket stalled = new Socket("127.0.0.1", api.port())) {
            stalled.setSoTimeout(10_000);
            OutputStream out = stalled.getOutputStream();
            out.write(("POST /allocate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"orderid\"")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long before = System.nanoTime();

            assertThat(readAll(stalled.getInputStream())).doesNotContain("HTTP/1.1 2");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(client.get("/allocations/o1").statusCode()).isEqualTo(200);
    }

    @Test
    void a_slow_command_is_not_cut_off_by_the_client_time_limits() throws Exception {
        start(HttpConfig.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        useCases.delay = Duration.ofMillis(2_500);

        assertThat(client.get("/allocations/o1").statusCode()).isEqualTo(200);
    }

    @Test
    void stopping_lets_a_request_in_flight_finish_and_refuses_new_connections() throws Exception {
        start(HttpConfig.defaults());
        useCases.delay = Duration.ofMillis(1_000);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                () -> client.get("/allocations/o1"));
        assertThat(useCases.started.await(5, TimeUnit.SECONDS)).isTrue();

        api.stop(Duration.ofSeconds(5));

        assertThat(inFlight.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> client.get("/health")).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void stopping_ends_a_keep_alive_connection_after_its_request_in_flight() throws Exception {
        start(HttpConfig.defaults());
        useCases.delay = Duration.ofMillis(1_000);
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(5_000);
            send(socket, "GET /allocations/o1 HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(useCases.started.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> api.stop(Duration.ofSeconds(5)));

            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close");
            stopping.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_request_on_a_keep_alive_connection_while_stopping_is_a_503_that_changes_nothing() throws Exception {
        start(HttpConfig.defaults());
        try (Socket idle = new Socket("127.0.0.1", api.port()); Socket busy = new Socket("127.0.0.1", api.port())) {
            idle.setSoTimeout(5_000);
            send(idle, "GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(readHead(idle)).startsWith("HTTP/1.1 200");
            useCases.delay = Duration.ofMillis(1_500);
            send(busy, "GET /allocations/o1 HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(useCases.started.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> api.stop(Duration.ofSeconds(5)));
            Thread.sleep(200);

            String body = "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 3}";
            send(idle, "POST /allocate HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);

            String response = new String(idle.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 503").containsIgnoringCase("Connection: close")
                    .containsIgnoringCase("Retry-After: 1");
            assertThat(useCases.handled).isEmpty();
            stopping.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void stopping_closes_an_idle_keep_alive_connection_at_once() throws Exception {
        start(HttpConfig.defaults());
        try (RawHttp idle = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            assertThat(idle.send("GET /health HTTP/1.1\r\nHost: test\r\n\r\n").answer().status()).isEqualTo(200);
            long before = System.nanoTime();

            api.stop(Duration.ofSeconds(10));

            assertThat(idle.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void stopping_an_idle_server_does_not_wait_for_the_grace_period() {
        start(HttpConfig.defaults());
        long before = System.nanoTime();

        api.stop(Duration.ofSeconds(10));

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
    }

    private void start(HttpConfig config) {
        try {
            api = HttpApi.start(useCases, config.withHost("127.0.0.1").withPort(0), null,
                    () -> Health.of(storageAnswers));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        client = new ApiClient(api.port());
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";   // reset by the server: disconnected too
        }
    }

    private static void send(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one response of a keep-alive connection: its head, and its body by Content-Length. */
    private static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }
}
