package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.ObjectMapper;

/**
 * Requests no well-behaved client sends, on raw sockets: each gets a JSON 4xx naming the problem, or
 * its connection closed, within a bound (1 s of silence allowed here), and none reaches the use cases.
 */
@Timeout(30)
class MalformedRequestsTest {

    private static final Duration SHORT = Duration.ofMillis(1_000);
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final String VALID = "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 3}";
    private static final FakeUseCases useCases = new FakeUseCases();
    private static HttpApi api;

    @BeforeAll
    static void start() throws IOException {
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0).withTimeouts(SHORT, SHORT));
    }

    @AfterAll
    static void stop() {
        api.stop(Duration.ZERO);
    }

    @BeforeEach
    void forget() {
        useCases.handled.clear();
    }

    @Test
    void a_body_shorter_than_its_content_length_gets_a_408_within_two_seconds() throws IOException {
        RawHttp.Answer answer = send("POST /allocate HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"orderid\"");

        assertJsonError(answer, 408, "not received");
        assertThat(answer.took()).isLessThan(BOUND);
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void a_content_length_of_ten_gigabytes_is_a_413_at_once() throws IOException {
        RawHttp.Answer answer = send("POST /allocate HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000000\r\n\r\n0123456789");

        assertJsonError(answer, 413, "larger than 65536 bytes");
        assertThat(answer.took()).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void a_content_length_that_is_no_number_is_a_400() throws IOException {
        assertJsonError(send("POST /allocate HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n" + VALID), 400,
                "Malformed request");
    }

    @Test
    void a_bad_chunk_size_is_a_400() throws IOException {
        assertJsonError(send("POST /allocate HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n"
                + VALID + "\r\n0\r\n\r\n"), 400, "Malformed request");
    }

    @Test
    void a_chunked_body_over_the_limit_is_a_413() throws IOException {
        String chunk = "x".repeat(16 * 1024);
        String chunks = (Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").repeat(5);

        assertJsonError(send("POST /allocate HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
                + "0\r\n\r\n"), 413, "larger than 65536 bytes");
    }

    @Test
    void a_bad_percent_encoding_is_a_400() throws IOException {
        assertJsonError(send("GET /allocations/o%ZZ1 HTTP/1.1\r\nHost: t\r\n\r\n"), 400, "");
    }

    @Test
    void an_order_id_holding_an_encoded_slash_is_looked_up_whole() throws IOException {
        RawHttp.Answer answer = send("GET /allocations/a%2Fb HTTP/1.1\r\nHost: t\r\n\r\n");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("batch-a/b");
    }

    @Test
    void headers_over_the_limit_are_a_431() throws IOException {
        assertJsonError(send("GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + "x".repeat(1024 * 1024) + "\r\n\r\n"), 431,
                "headers are too large");
    }

    @Test
    void two_hundred_and_fifty_headers_are_a_431() throws IOException {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            headers.append("X-Header-").append(i).append(": ").append("v".repeat(40)).append("\r\n");
        }
        assertJsonError(send("GET /health HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n"), 431, "headers are too large");
    }

    @Test
    void a_uri_over_the_limit_is_a_414() throws IOException {
        assertJsonError(send("GET /allocations/" + "o".repeat(500 * 1024) + " HTTP/1.1\r\nHost: t\r\n\r\n"), 414,
                "URI is too long");
    }

    @Test
    void a_request_line_of_tls_bytes_is_a_400_or_closed() throws IOException {
        byte[] clientHello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, 0x0d, 0x0a};
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            RawHttp.Answer answer = raw.send(clientHello).answer();

            assertThat(answer.status()).isIn(-1, 400);
            assertThat(answer.took()).isLessThan(BOUND);
        }
    }

    @Test
    void a_request_with_bare_line_feeds_is_answered_or_refused_within_the_bound() throws IOException {
        RawHttp.Answer answer = send("GET /health HTTP/1.1\nHost: t\n\n");

        assertThat(answer.status()).isIn(200, 400);
        assertThat(answer.took()).isLessThan(BOUND);
    }

    @Test
    void head_is_a_405_with_no_body() throws IOException {
        RawHttp.Answer answer = send("HEAD /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow")).isEqualTo("GET");
    }

    @Test
    void a_silent_connection_is_closed_after_the_idle_timeout() throws IOException {
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            long began = System.nanoTime();

            assertThat(raw.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(BOUND);
        }
    }

    @Test
    void headers_that_stop_half_way_end_in_a_close_after_the_idle_timeout() throws IOException {
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            raw.send("POST /allocate HTTP/1.1\r\nHost: t\r\nContent-Le");
            long began = System.nanoTime();

            assertThat(raw.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(BOUND);
        }
        assertThat(useCases.handled).isEmpty();
    }

    private static RawHttp.Answer send(String request) throws IOException {
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            return raw.send(request.getBytes(StandardCharsets.ISO_8859_1)).answer();
        }
    }

    private static void assertJsonError(RawHttp.Answer answer, int status, String message) throws IOException {
        assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(new ObjectMapper().readTree(answer.body()).path("message").asString()).contains(message);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("<html").doesNotContain("\tat ");
        assertThat(useCases.handled).isEmpty();
    }
}
