package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.domain.commands.Allocate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.ObjectMapper;

/**
 * Every order id that can be written can be read: characters a path treats as special (a backslash, a
 * slash, a percent sign, a semicolon, dots) are one path segment once percent-encoded. And none of them
 * leads a request anywhere else than where its path, as sent, says.
 */
class AnyIdIsReadableTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeUseCases useCases = new FakeUseCases();
    private HttpApi api;

    @AfterEach
    void stop() {
        api.stop(Duration.ZERO);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"o\\1", "\\", "o/1", "/", "o%1", "%", "%2F", "o;1", ";", "o;x=1", "..", ".", "../add_batch",
            "..\\..\\etc", "o?1", "o#1", "o 1", "o+1", "o&1=2", "é€😀"})
    void an_order_id_allocated_through_post_is_read_back_through_get(String orderId) throws IOException {
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0));
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("orderid", orderId).put("sku", "LAMP").put("qty", 1));

        RawHttp.Answer allocated = send("POST /allocate HTTP/1.1\r\nHost: t\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" , body);
        RawHttp.Answer read = send("GET /allocations/" + encoded(orderId) + " HTTP/1.1\r\nHost: t\r\n\r\n", "");

        assertThat(allocated.status()).isEqualTo(202);
        assertThat(useCases.handled).containsExactly(new Allocate(orderId, "LAMP", 1));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get(0).path("batchref").asString()).isEqualTo("batch-" + orderId);
    }

    @Test
    void no_encoding_or_dot_segment_reaches_another_route_or_skips_the_token() throws IOException {
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0).withApiToken("t0ken"),
                () -> "secret_metric 1\n", () -> Health.of(true));

        for (String path : List.of("/health/../metrics", "/health/..%2Fmetrics", "/health/%2E%2E/metrics",
                "/health/%2e%2e%2fmetrics", "/health%2F..%2Fmetrics", "/health;/../metrics", "/health/live/../../metrics",
                "/health%5C..%5Cmetrics", "/allocations/..%2F..%2Fmetrics", "/./metrics", "/health/./../metrics")) {
            RawHttp.Answer answer = send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n", "");

            assertThat(answer.status()).as(path).isIn(400, 401, 404);
            assertThat(answer.body()).as(path).doesNotContain("secret_metric");
        }
        assertThat(useCases.handled).isEmpty();
    }

    @Test
    void a_dot_segment_after_allocations_is_no_lookup_of_another_path() throws IOException {
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0));

        RawHttp.Answer answer = send("GET /allocations/o1/../o2 HTTP/1.1\r\nHost: t\r\n\r\n", "");

        assertThat(answer.status()).isIn(400, 404);
        assertThat(answer.body()).doesNotContain("batch-");
    }

    /** Percent-encodes every byte but the letters and digits, as a careful client does. */
    private static String encoded(String id) {
        StringBuilder path = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0 && Character.isLetterOrDigit(b)) {
                path.append((char) b);
            } else {
                path.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return path.toString();
    }

    private RawHttp.Answer send(String head, String body) throws IOException {
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            raw.send(head);
            return raw.send(body.getBytes(StandardCharsets.UTF_8)).answer();
        }
    }
}
