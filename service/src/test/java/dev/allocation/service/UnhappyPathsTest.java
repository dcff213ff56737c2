package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.allocation.testing.ApiClient;
import dev.allocation.bootstrap.Bootstrap;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every way a client can get a request wrong, end to end over real HTTP: each is refused with the
 * right status and a JSON message naming the problem, never a 500 and never a stack trace. The
 * service holds batch {@code batch-1} of {@code LAMP} with {@code order-1} allocated 10 of it.
 */
class UnhappyPathsTest {

    private static final String ALLOCATE_VALID = "{\"orderid\": \"order-2\", \"sku\": \"LAMP\", \"qty\": 1}";

    private RunningService service;
    private ApiClient api;

    @BeforeEach
    void start() {
        service = RunningService.start(TestConfigs.inMemory(), Bootstrap.builder());
        api = new ApiClient(service.port());
        assertThat(api.addBatch("batch-1", "LAMP", 100, null).statusCode()).isEqualTo(201);
        assertThat(api.allocate("order-1", "LAMP", 10).statusCode()).isEqualTo(202);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    static Stream<Arguments> unhappyPaths() {
        return Stream.of(
                arguments("malformed JSON", "POST", "/allocate", "{\"orderid\": \"o1\",", 400, "Malformed JSON"),
                arguments("trailing content", "POST", "/allocate", ALLOCATE_VALID + " x", 400, "Malformed JSON"),
                arguments("a duplicate field", "POST", "/allocate",
                        "{\"orderid\": \"o\", \"sku\": \"LAMP\", \"sku\": \"LAMP\", \"qty\": 1}", 400, "Duplicate field 'sku'"),
                arguments("an empty body", "POST", "/allocate", "", 400, "must be a JSON object, was empty"),
                arguments("a body that is no object", "POST", "/allocate", "[1, 2]", 400, "must be a JSON object, was an array"),
                arguments("a missing orderid", "POST", "/allocate", "{\"sku\": \"LAMP\", \"qty\": 1}", 400, "Missing field orderid"),
                arguments("a missing qty", "POST", "/add_batch", "{\"ref\": \"b2\", \"sku\": \"LAMP\", \"eta\": null}", 400,
                        "Missing field qty"),
                arguments("qty as a string", "POST", "/allocate", "{\"orderid\": \"o\", \"sku\": \"LAMP\", \"qty\": \"10\"}", 400,
                        "qty must be an integer, was a string (\"10\")"),
                arguments("qty as a decimal", "POST", "/allocate", "{\"orderid\": \"o\", \"sku\": \"LAMP\", \"qty\": 1.5}", 400,
                        "qty must be an integer, was a decimal number"),
                arguments("qty as a whole decimal", "POST", "/allocate", "{\"orderid\": \"o\", \"sku\": \"LAMP\", \"qty\": 10.0}",
                        400, "qty must be an integer, was a decimal number"),
                arguments("qty beyond an int", "POST", "/allocate",
                        "{\"orderid\": \"o\", \"sku\": \"LAMP\", \"qty\": 3000000000}", 400, "qty is out of range"),
                arguments("sku as a number", "POST", "/allocate", "{\"orderid\": \"o\", \"sku\": 42, \"qty\": 1}", 400,
                        "sku must be a string, was an integer"),
                arguments("a null orderid", "POST", "/allocate", "{\"orderid\": null, \"sku\": \"LAMP\", \"qty\": 1}", 400,
                        "orderid must be a string, was null"),
                arguments("a zero qty", "POST", "/allocate", "{\"orderid\": \"o\", \"sku\": \"LAMP\", \"qty\": 0}", 400,
                        "qty must be at least 1, was 0"),
                arguments("a negative qty", "POST", "/allocate", "{\"orderid\": \"o\", \"sku\": \"LAMP\", \"qty\": -1}", 400,
                        "qty must be at least 1, was -1"),
                arguments("a negative batch qty", "POST", "/add_batch",
                        "{\"ref\": \"b2\", \"sku\": \"LAMP\", \"qty\": -5, \"eta\": null}", 400, "qty must not be negative, was -5"),
                arguments("a blank sku", "POST", "/allocate", "{\"orderid\": \"o\", \"sku\": \"  \", \"qty\": 1}", 400,
                        "sku must not be blank"),
                arguments("an order id too long", "POST", "/allocate",
                        "{\"orderid\": \"" + "x".repeat(256) + "\", \"sku\": \"LAMP\", \"qty\": 1}", 400,
                        "must be at most 255 characters"),
                arguments("an eta that is no date", "POST", "/add_batch",
                        "{\"ref\": \"b2\", \"sku\": \"LAMP\", \"qty\": 5, \"eta\": \"next week\"}", 400, "eta must be an ISO date"),
                arguments("an eta as a number", "POST", "/add_batch",
                        "{\"ref\": \"b2\", \"sku\": \"LAMP\", \"qty\": 5, \"eta\": 20110101}", 400, "eta must be an ISO date"),
                arguments("an unknown sku", "POST", "/allocate", "{\"orderid\": \"o\", \"sku\": \"NOPE\", \"qty\": 1}", 400,
                        "Invalid sku NOPE"),
                arguments("a duplicate batch", "POST", "/add_batch",
                        "{\"ref\": \"batch-1\", \"sku\": \"TABLE\", \"qty\": 5, \"eta\": null}", 400, "batch-1 exists already"),
                arguments("a conflicting order line", "POST", "/allocate",
                        "{\"orderid\": \"order-1\", \"sku\": \"LAMP\", \"qty\": 5}", 400,
                        "Order order-1 already has a line of sku LAMP with another quantity; cannot allocate 5 instead"),
                arguments("an oversized body", "POST", "/allocate",
                        "{\"orderid\": \"o\", \"sku\": \"LAMP\", \"qty\": 1, \"pad\": \"" + "x".repeat(70_000) + "\"}", 413,
                        "larger than 65536 bytes"),
                arguments("a wrong method on a command", "GET", "/allocate", null, 405, "Method GET is not allowed here, use POST"),
                arguments("a wrong method on a query", "DELETE", "/allocations/order-1", null, 405,
                        "Method DELETE is not allowed here, use GET"),
                arguments("an unknown route", "GET", "/deallocate", null, 404, "No such route: GET /deallocate"));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("unhappyPaths")
    void is_refused_with_a_message_naming_the_problem(String problem, String method, String path, String body,
                                                      int status, String message) {
        HttpResponse<String> response = api.send(method, path, body);

        assertThat(response.statusCode()).as(problem).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = ApiClient.json(response);
        assertThat(json.path("message").asString()).as(problem).contains(message);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (status == 405) {
            assertThat(response.headers().firstValue("Allow")).isPresent();
        }
    }
}
