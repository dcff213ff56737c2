package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on its real storages, end to end over HTTP: the embedded H2 database it uses by default,
 * and PostgreSQL (a database of this run's own, dropped after: {@link TestDatabases#postgres()}; skipped when
 * no server answers unless {@code CI=true}).
 */
class StorageEndToEndTest {

    @Test
    void by_default_allocations_are_kept_in_the_data_folder_across_restarts(@TempDir Path dataDir) {
        ServiceConfig config = TestConfigs.h2Files(dataDir);
        try (RunningService first = RunningService.start(config, Bootstrap.builder())) {
            assertThat(first.description()).contains("embedded H2 in " + dataDir.toAbsolutePath());
            ApiClient api = new ApiClient(first.port());
            assertThat(api.addBatch("batch-1", "LAMP", 10, null).statusCode()).isEqualTo(201);
            assertThat(api.allocate("order-1", "LAMP", 2).statusCode()).isEqualTo(202);
        }

        try (RunningService second = RunningService.start(config, Bootstrap.builder())) {
            assertThat(new ApiClient(second.port()).allocations("order-1").body())
                    .isEqualTo("[{\"sku\":\"LAMP\",\"batchref\":\"batch-1\"}]");
        }
    }

    @Test
    void the_service_runs_on_postgresql() {
        try (TestDatabase database = TestDatabases.postgres()) {
            ServiceConfig config = TestConfigs.database(database.url(), database.user(), database.password(), null);

            try (RunningService service = RunningService.start(config, Bootstrap.builder())) {
                ApiClient api = new ApiClient(service.port());
                assertThat(service.description()).contains("database " + database.url());
                assertThat(api.send("GET", "/health", null).statusCode()).isEqualTo(200);
                assertThat(api.addBatch("batch-1", "LAMP", 10, "2011-01-02").statusCode()).isEqualTo(201);
                assertThat(api.addBatch("batch-0", "LAMP", 10, "2011-01-01").statusCode()).isEqualTo(201);
                assertThat(api.allocate("order-1", "LAMP", 2).statusCode()).isEqualTo(202);
                assertThat(api.allocate("order-1", "NOPE", 2).statusCode()).isEqualTo(400);

                assertThat(api.allocations("order-1").body()).isEqualTo("[{\"sku\":\"LAMP\",\"batchref\":\"batch-0\"}]");
            }
        }
    }
}
