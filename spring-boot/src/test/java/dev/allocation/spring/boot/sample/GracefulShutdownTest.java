package dev.allocation.spring.boot.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stopping the shop while Allocates are in flight: the web server's graceful shutdown lets them finish
 * (each answered 201), the relay stops only after it, and no event of an acknowledged command is lost:
 * each is published, or still in the outbox for the next start.
 */
class GracefulShutdownTest {

    private static final int IN_FLIGHT = 6;

    @Test
    void commands_in_flight_finish_and_no_acknowledged_event_is_lost() throws Exception {
        String url = "jdbc:h2:mem:shutdown-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        ConfigurableApplicationContext shop = new SpringApplicationBuilder(ShopApplication.class)
                .properties("server.port=0", "spring.datasource.url=" + url, "server.shutdown=graceful",
                        "spring.lifecycle.timeout-per-shutdown-phase=20s")
                .run();
        Http http = new Http(Integer.parseInt(shop.getEnvironment().getProperty("local.server.port")));
        ShopApplication.SlowOrders slow = shop.getBean(ShopApplication.SlowOrders.class);
        List<Event> published = shop.getBean(ShopApplication.Broker.class).published;
        assertThat(http.post("/shop/batches", "{\"ref\":\"b1\",\"sku\":\"LAMP\",\"qty\":100}").statusCode()).isEqualTo(201);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            String order = "slow-" + i;
            requests.add(CompletableFuture.supplyAsync(() -> {
                HttpResponse<String> response = http.post("/shop/allocate",
                        "{\"orderid\":\"" + order + "\",\"sku\":\"LAMP\",\"qty\":1}");
                if (response.statusCode() == 201) {
                    acknowledged.add(order);
                }
                return response.statusCode();
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.inFlight.get() == IN_FLIGHT);
        long stopping = System.nanoTime();
        shop.close();

        assertThat(requests).allSatisfy(request -> assertThat(request.join()).isEqualTo(201));
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isGreaterThan(ShopApplication.SLOW.dividedBy(2));
        Set<String> publishedOrders = published.stream().map(event -> ((Allocated) event).orderId())
                .collect(Collectors.toSet());
        Set<String> stillInOutbox = pendingOrders(url);
        assertThat(acknowledged).hasSize(IN_FLIGHT);
        assertThat(acknowledged).allSatisfy(order ->
                assertThat(publishedOrders.contains(order) || stillInOutbox.contains(order))
                        .as("the event of acknowledged order %s, published or pending", order).isTrue());
    }

    /** The orders whose Allocated waits in the outbox, read after the shop stopped. */
    private static Set<String> pendingOrders(String url) throws SQLException {
        Set<String> orders = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT payload FROM outbox WHERE state <> 'S'")) {
            while (rows.next()) {
                String payload = rows.getString(1);
                for (int i = 0; i < IN_FLIGHT; i++) {
                    if (payload.contains("\"slow-" + i + "\"")) {
                        orders.add("slow-" + i);
                    }
                }
            }
        }
        return orders;
    }
}
