package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.ObjectMapper;

/**
 * Bytes that are not UTF-8 are refused as malformed wherever text enters, in a body or a percent-decoded
 * path: an overlong form ({@code C0 AF} is not "/"), a surrogate, a truncated sequence, a byte that never
 * starts one. None is stored changed, none read as another id.
 */
class InvalidUtf8Test {

    private static final FakeUseCases useCases = new FakeUseCases();
    private static HttpApi api;

    @BeforeAll
    static void start() throws IOException {
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0));
    }

    @AfterAll
    static void stop() {
        api.stop(Duration.ZERO);
    }

    @BeforeEach
    void forget() {
        useCases.handled.clear();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C0AF", "E080AF", "F08080AF", "C1BF", "EDA080", "EDBFBF", "E282", "F09F98", "80", "BF",
            "F5808080", "F8", "FE", "FF"})
    void an_order_id_holding_invalid_utf8_in_a_body_is_a_400_and_nothing_is_allocated(String hex) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"orderid\": \"o".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(HexFormat.of().parseHex(hex));
        body.writeBytes("1\", \"sku\": \"LAMP\", \"qty\": 3}".getBytes(StandardCharsets.US_ASCII));

        RawHttp.Answer answer = send(("POST /allocate HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.size()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body.toByteArray());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(message(answer)).isEqualTo("Malformed JSON: the request body is not valid UTF-8 (at byte 15)");
        assertThat(useCases.handled).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C0AF", "E080AF", "F08080AF", "EDA080", "EDBFBF", "E282", "F09F98", "80", "F5808080", "FF"})
    void an_invalid_utf8_sequence_at_the_end_of_a_body_is_a_400(String hex) throws IOException {
        byte[] body = HexFormat.of().parseHex("7B7D" + hex);   // {} and the bytes

        RawHttp.Answer answer = send(("POST /add_batch HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(message(answer)).isEqualTo("Malformed JSON: the request body is not valid UTF-8 (at byte 3)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%C0%AF", "%E0%80%AF", "%F0%80%80%AF", "%ED%A0%80", "%ED%BF%BF", "%E2%82", "%F0%9F%98",
            "%80", "%F5%80%80%80", "%FF", "%E2%82x"})
    void an_order_id_holding_invalid_utf8_once_percent_decoded_is_a_400(String encoded) throws IOException {
        RawHttp.Answer answer = send(("GET /allocations/o" + encoded + "1 HTTP/1.1\r\nHost: t\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), new byte[0]);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(message(answer)).containsIgnoringCase("UTF");
        assertThat(answer.body()).doesNotContain("batch-");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%C3%A9", "%E2%82%AC", "%F0%9F%98%80", "%EF%BF%BD"})
    void a_valid_multibyte_character_in_an_order_id_is_read_back(String encoded) throws IOException {
        RawHttp.Answer answer = send(("GET /allocations/o" + encoded + " HTTP/1.1\r\nHost: t\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), new byte[0]);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(answer.body()).get(0).path("batchref").asString())
                .isEqualTo("batch-o" + java.net.URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    }

    private static RawHttp.Answer send(byte[] head, byte[] body) throws IOException {
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            raw.send(head);
            return raw.send(body).answer();
        }
    }

    private static String message(RawHttp.Answer answer) {
        return new ObjectMapper().readTree(answer.body()).path("message").asString();
    }
}
