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
 * the shop's own migrations, with its health and meters in Actuator.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=health,metrics,allocationoutbox",
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
        assertThat(http.post("/batches", "{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":100}").statusCode()).isEqualTo(201);
        assertThat(http.post("/allocate", "{\"orderid\":\"o1\",\"sku\":\"LAMP\",\"qty\":10}").statusCode()).isEqualTo(201);
        HttpResponse<String> unknown = http.post("/allocate", "{\"orderid\":\"o2\",\"sku\":\"NOPE\",\"qty\":1}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("Invalid sku NOPE");
        assertThat(json(http.get("/allocations/o1")).get(0).get("batchRef").asString()).isEqualTo("b1");

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

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
