package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.bootstrap.Bootstrap;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every order id that can be written can be read, on a real database: ids holding the characters a
 * path treats as special, allocated through {@code POST /allocate}, then read through
 * {@code GET /allocations/{id}} percent-encoded.
 */
class AnyIdEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void an_order_id_holding_a_backslash_slash_percent_semicolon_or_dots_is_read_back_as_written(@TempDir Path data) {
        List<String> orderIds = List.of("o\\1", "\\", "o/1", "o%1", "o%5C1", "o;1", "o;x=1", "..", ".", "../add_batch",
                "..\\..\\etc", "o?1#2", "o 1+2", "é€😀");
        try (RunningService service = RunningService.start(TestConfigs.h2Files(data), Bootstrap.builder())) {
            ApiClient api = new ApiClient(service.port());
            assertThat(api.addBatch("b1", "LAMP", 1_000, null).statusCode()).isEqualTo(201);

            for (String orderId : orderIds) {
                HttpResponse<String> allocated = api.post("/allocate", JSON.writeValueAsString(JSON.createObjectNode()
                        .put("orderid", orderId).put("sku", "LAMP").put("qty", 1)));
                HttpResponse<String> read = api.send("GET", "/allocations/" + encoded(orderId), null);

                assertThat(allocated.statusCode()).as(orderId).isEqualTo(202);
                assertThat(read.statusCode()).as(orderId + ": " + read.body()).isEqualTo(200);
                JsonNode rows = ApiClient.json(read);
                assertThat(rows).as(orderId).hasSize(1);
                assertThat(rows.get(0).path("batchref").asString()).isEqualTo("b1");
            }
        }
    }

    /** Percent-encodes every byte but the ASCII letters and digits, as a careful client does. */
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
}
