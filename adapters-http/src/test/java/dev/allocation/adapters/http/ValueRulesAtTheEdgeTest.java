package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.testing.ApiClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Values no store keeps as given, or no reader can see, are refused where they enter: a 400 naming the
 * field, and the use cases never called. Bodies are built with Jackson, so that a CR, a NUL or a
 * zero-width space reaches the server exactly as a client could send it (JSON escapes).
 */
@Timeout(30)
class ValueRulesAtTheEdgeTest {

    private static final FakeUseCases useCases = new FakeUseCases();
    private static final ObjectMapper mapper = new ObjectMapper();
    private static HttpApi api;
    private static ApiClient client;

    @BeforeAll
    static void start() throws IOException {
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0));
        client = new ApiClient(api.port());
    }

    @AfterAll
    static void stop() {
        api.stop(Duration.ZERO);
    }

    @BeforeEach
    void forget() {
        useCases.handled.clear();
    }

    static Stream<Named<String>> etasNoStoreKeepsAsGiven() {
        return Stream.of(
                Named.of("past PostgreSQL's last day", "+5874898-01-01"),
                Named.of("PostgreSQL's first day, 4714 BC", "-4714-11-23"),
                Named.of("year 0", "0000-01-01"),
                Named.of("year 10000", "10000-01-01"),
                Named.of("year 10000, signed", "+10000-01-01"));
    }

    /**
     * Each identifier field of the API (route, JSON field, the name its messages use: the domain's),
     * crossed with values no reader can see or that break a line.
     */
    static Stream<Arguments> identifierFieldsWithInvalidValues() {
        return Stream.of(
                        new String[] {"/add_batch", "ref", "ref"}, new String[] {"/add_batch", "sku", "sku"},
                        new String[] {"/allocate", "orderid", "orderId"}, new String[] {"/allocate", "sku", "sku"})
                .flatMap(field -> Stream.of(
                                Named.of("CR LF", "o1\r\n2024-01-01 INFO forged"),
                                Named.of("a line feed only", "\n"),
                                Named.of("a bell", "o\u00071"),
                                Named.of("NUL", "o\u00001"),
                                Named.of("only no-break spaces", "\u00a0\u00a0"),
                                Named.of("only a zero-width space", "\u200b"),
                                Named.of("only a byte order mark", "\ufeff"))
                        .map(value -> Arguments.of(field[0], field[1], value, field[2])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("etasNoStoreKeepsAsGiven")
    void a_batch_arriving_outside_the_years_1_to_9999_is_a_400_naming_eta_and_never_handled(String eta)
            throws Exception {
        HttpResponse<String> response = post("/add_batch", batch("b1", "LAMP").put("eta", eta));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(message(response)).startsWith("eta ").contains("1 to 9999");
        assertThat(useCases.handled).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("identifierFieldsWithInvalidValues")
    void an_identifier_holding_a_control_character_or_only_invisible_characters_is_a_400_naming_it_and_never_handled(
            String path, String field, String value, String named) throws Exception {
        ObjectNode body = path.equals("/add_batch") ? batch("b1", "LAMP") : line("o1", "LAMP");

        HttpResponse<String> response = post(path, body.put(field, value));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(message(response)).startsWith(named + " must not");
        assertThat(useCases.handled).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0001-01-01", "9999-12-31"})
    void a_batch_arriving_on_the_first_or_last_day_of_the_years_1_to_9999_is_created(String eta) throws Exception {
        HttpResponse<String> response = post("/add_batch", batch("b1", "LAMP").put("eta", eta));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(useCases.handled).containsExactly(new CreateBatch("b1", "LAMP", 10, LocalDate.parse(eta)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SMALL\u00a0TABLE", "TABLE\u200b-1", "\u65e5\u672c"})
    void invisible_characters_beside_visible_ones_are_accepted(String sku) throws Exception {
        HttpResponse<String> response = post("/add_batch", batch("b1", sku));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(useCases.handled).containsExactly(new CreateBatch("b1", sku, 10, null));
    }

    private static ObjectNode batch(String ref, String sku) {
        return mapper.createObjectNode().put("ref", ref).put("sku", sku).put("qty", 10).putNull("eta");
    }

    private static ObjectNode line(String orderId, String sku) {
        return mapper.createObjectNode().put("orderid", orderId).put("sku", sku).put("qty", 1);
    }

    private static String message(HttpResponse<String> response) throws IOException {
        return mapper.readTree(response.body()).path("message").asString();
    }

    private static HttpResponse<String> post(String path, ObjectNode body) {
        return client.post(path, mapper.writeValueAsString(body));
    }
}
