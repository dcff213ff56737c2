package dev.allocation.spring.boot.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.events.Allocated;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shop on a database, over real HTTP: the starter's service on the shop's own DataSource, next to
 * the shop's own migrations, with its health and meters in Actuator, and the book's API served next to
 * the shop's own under the base path of each subclass ({@link #basePath()}).
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=health,metrics,allocationoutbox",
                "allocation.web.enabled=true",
                "management.endpoint.health.show-details=always"})
@DirtiesContext
abstract class ShopContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    AllocationService service;

    @Autowired
    DataSource dataSource;

    @Autowired
    ShopApplication.Broker broker;

    @Test
    void allocates_over_http_on_the_shops_database_with_health_and_metrics() {
        Http http = new Http(port);
        assertThat(http.post("/shop/batches", "{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":100}").statusCode()).isEqualTo(201);
        assertThat(http.post("/shop/allocate", "{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":10}").statusCode()).isEqualTo(201);
        HttpResponse<String> unknown = http.post("/shop/allocate", "{\"orderid\":\"o2\",\"sku\":\"NOPE\",\"qty\":1}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("Invalid sku NOPE");
        assertThat(json(http.get("/shop/allocations/o1")).get(0).get("batchRef").asString()).isEqualTo("b1");

        await().atMost(Duration.ofSeconds(5)).until(() -> broker.published.contains(new Allocated("o1", "LAMP", 10, "b1")));
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM allocations_view WHERE orderid = 'o1'", Integer.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM shop_orders", Integer.class)).isZero();

        HttpResponse<String> health = http.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode allocation = json(health).get("components").get("allocation");
        assertThat(allocation.get("status").asString()).isEqualTo("UP");
        assertThat(allocation.get("details").get("outboxDead").asLong()).isZero();

        HttpResponse<String> messages = http.get("/actuator/metrics/allocation.messages");
        assertThat(messages.statusCode()).isEqualTo(200);
        assertThat(messages.body()).contains("\"kind\"", "\"outcome\"");
        assertThat(http.get("/actuator/metrics/allocation.outbox.pending").statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/metrics/hikaricp.connections").statusCode()).isEqualTo(200);

        HttpResponse<String> outbox = http.get("/actuator/allocationoutbox");
        assertThat(outbox.statusCode()).isEqualTo(200);
        assertThat(json(outbox).get("dead").asLong()).isZero();
        assertThat(http.delete("/actuator/allocationoutbox").statusCode()).isEqualTo(200);
    }

    /** {@code allocation.web.base-path} as the subclass sets it. */
    abstract String basePath();

    @Test
    void the_books_api_answers_as_the_service_does() {
        Http http = new Http(port);
        String api = basePath();
        HttpResponse<String> added = http.post(api + "/add_batch",
                "{\"ref\":\"book-b1\",\"sku\":\"BOOK-LAMP\",\"qty\":20,\"eta\":null}");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(added.body()).isEqualTo("{\"message\":\"OK\"}");
        assertThat(added.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        HttpResponse<String> allocated = http.post(api + "/allocate",
                "{\"orderid\":\"book-o1\",\"sku\":\"BOOK-LAMP\",\"qty\":3}");
        assertThat(allocated.statusCode()).isEqualTo(202);
        assertThat(allocated.body()).isEqualTo("{\"message\":\"OK\"}");

        HttpResponse<String> allocations = http.get(api + "/allocations/book-o1");
        assertThat(allocations.statusCode()).isEqualTo(200);
        assertThat(allocations.body()).isEqualTo("[{\"sku\":\"BOOK-LAMP\",\"batchref\":\"book-b1\"}]");
        HttpResponse<String> none = http.get(api + "/allocations/book-nobody");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).isEqualTo("{\"message\":\"No allocations for order book-nobody\"}");

        HttpResponse<String> unknownSku = http.post(api + "/allocate",
                "{\"orderid\":\"book-o2\",\"sku\":\"BOOK-NOPE\",\"qty\":1}");
        assertThat(unknownSku.statusCode()).isEqualTo(400);
        assertThat(unknownSku.body()).isEqualTo("{\"message\":\"Invalid sku BOOK-NOPE\"}");
        HttpResponse<String> mistyped = http.post(api + "/allocate",
                "{\"orderid\":\"book-o2\",\"sku\":\"BOOK-LAMP\",\"qty\":\"1\"}");
        assertThat(mistyped.statusCode()).isEqualTo(400);
        assertThat(mistyped.body()).isEqualTo("{\"message\":\"qty must be an integer, was a string (\\\"1\\\")\"}");
        HttpResponse<String> missing = http.post(api + "/add_batch", "{\"ref\":\"book-b2\",\"qty\":1}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"message\":\"Missing field sku\"}");
        HttpResponse<String> duplicate = http.post(api + "/allocate",
                "{\"orderid\":\"a\",\"orderid\":\"b\",\"sku\":\"BOOK-LAMP\",\"qty\":1}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.body()).startsWith("{\"message\":\"Malformed JSON: Duplicate field 'orderid'");

        assertThat(service.allocations("book-o1")).hasSize(1);
        assertThat(service.allocations("book-o2")).isEmpty();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
