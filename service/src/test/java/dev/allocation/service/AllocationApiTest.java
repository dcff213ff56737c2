package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.adapters.memory.InMemoryNotifications;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service end to end over real HTTP, one test per feature, as the book's {@code test_api.py}:
 * the real server on a free port, in-memory storage.
 */
class AllocationApiTest {

    private final InMemoryNotifications notifications = new InMemoryNotifications();
    private final RunningService service = RunningService.start(TestConfigs.inMemory(),
            Bootstrap.builder().notifications(notifications));
    private final ApiClient api = new ApiClient(service.port());

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void adding_a_batch_returns_201() {
        HttpResponse<String> response = api.addBatch(random("batch"), random("sku"), 100, "2011-01-02");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void allocating_returns_202() {
        String sku = random("sku");
        api.addBatch(random("batch"), sku, 100, null);

        HttpResponse<String> response = api.allocate(random("order"), sku, 3);

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void the_allocations_of_an_order_name_the_batch_chosen_the_earliest_one() {
        String sku = random("sku");
        String otherSku = random("other");
        String earlyBatch = random("batch");
        api.addBatch(random("batch"), sku, 100, "2011-01-02");
        api.addBatch(earlyBatch, sku, 100, "2011-01-01");
        api.addBatch(random("batch"), otherSku, 100, null);
        String order = random("order");
        api.allocate(order, sku, 3);

        HttpResponse<String> response = api.allocations(order);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[{\"sku\":\"" + sku + "\",\"batchref\":\"" + earlyBatch + "\"}]");
    }

    @Test
    void an_order_with_no_allocations_is_404() {
        HttpResponse<String> response = api.allocations(random("order"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(response).path("message").asText()).startsWith("No allocations for order ");
    }

    @Test
    void out_of_stock_accepts_the_order_allocates_nothing_and_emails_the_stock_team() {
        String sku = random("sku");
        api.addBatch(random("batch"), sku, 10, null);
        String order = random("order");

        HttpResponse<String> response = api.allocate(order, sku, 20);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(api.allocations(order).statusCode()).isEqualTo(404);
        assertThat(notifications.sentTo("stock@made.com")).containsExactly("Out of stock for " + sku);
    }

    @Test
    void a_shrunk_batch_gives_its_order_to_another_batch() {
        String sku = random("sku");
        String earlyBatch = random("early");
        String laterBatch = random("later");
        api.addBatch(earlyBatch, sku, 10, "2011-01-01");
        api.addBatch(laterBatch, sku, 10, "2011-01-02");
        String order = random("order");
        api.allocate(order, sku, 10);

        service.useCases().handle(new ChangeBatchQuantity(earlyBatch, 5));

        assertThat(api.allocations(order).body())
                .isEqualTo("[{\"sku\":\"" + sku + "\",\"batchref\":\"" + laterBatch + "\"}]");
    }

    @Test
    void fields_the_api_does_not_know_are_ignored_as_the_reference_does() {
        String sku = random("sku");
        api.addBatch(random("batch"), sku, 100, null);

        HttpResponse<String> response = api.post("/allocate",
                "{\"orderid\": \"o-extra\", \"sku\": \"" + sku + "\", \"qty\": 1, \"customer\": {\"vip\": true}}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(api.allocations("o-extra").statusCode()).isEqualTo(200);
    }

    @Test
    void health_is_200_when_the_storage_answers_and_says_so_in_its_checks() {
        HttpResponse<String> response = api.send("GET", "/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"checks\":{\"storage\":\"up\"}}");
    }

    private static String random(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
