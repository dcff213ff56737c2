package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.bootstrap.Bootstrap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients allocating one sku at once, over HTTP, on the default storage (embedded H2 files): every
 * request is accepted (no 500, no 503 for contention alone) and the batch is never over-allocated.
 */
class ConcurrentClientsTest {

    private static final int CLIENTS = 8;
    private static final int ORDERS_PER_CLIENT = 10;
    private static final int STOCK = 50;

    @Test
    void eight_clients_allocating_one_sku_at_once_get_202_and_never_over_allocate(@TempDir Path dataDir)
            throws Exception {
        ServiceConfig config = TestConfigs.h2Files(dataDir);
        try (RunningService service = RunningService.start(config, Bootstrap.builder())) {
            ApiClient api = new ApiClient(service.port());
            assertThat(api.addBatch("batch-1", "LAMP", STOCK, null).statusCode()).isEqualTo(201);

            List<Integer> statuses = allocateConcurrently(api);

            assertThat(statuses).hasSize(CLIENTS * ORDERS_PER_CLIENT).containsOnly(202);
            int allocated = 0;
            for (int client = 0; client < CLIENTS; client++) {
                for (int order = 0; order < ORDERS_PER_CLIENT; order++) {
                    if (api.allocations(orderId(client, order)).statusCode() == 200) {
                        allocated++;
                    }
                }
            }
            assertThat(allocated).isEqualTo(STOCK);
        }
    }

    private static List<Integer> allocateConcurrently(ApiClient api) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Callable<List<Integer>>> work = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int c = client;
                work.add(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int order = 0; order < ORDERS_PER_CLIENT; order++) {
                        statuses.add(api.allocate(orderId(c, order), "LAMP", 1).statusCode());
                    }
                    return statuses;
                });
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<List<Integer>> result : clients.invokeAll(work)) {
                statuses.addAll(result.get());
            }
            return statuses;
        } finally {
            clients.shutdownNow();
        }
    }

    private static String orderId(int client, int order) {
        return "order-" + client + "-" + order;
    }
}
