package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.bootstrap.Bootstrap;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on its real storages, end to end over HTTP: the embedded H2 database it uses by default,
 * and PostgreSQL (127.0.0.1:5432, user postgres; skipped when not reachable unless {@code CI=true}).
 */
class StorageEndToEndTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "allocation_service_e2e";

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
    void the_service_runs_on_postgresql() throws SQLException {
        recreatePostgresDatabase();
        ServiceConfig config = TestConfigs.database(POSTGRES + DATABASE, "postgres", "", null);

        try (RunningService service = RunningService.start(config, Bootstrap.builder())) {
            ApiClient api = new ApiClient(service.port());
            assertThat(service.description()).contains("database " + POSTGRES + DATABASE);
            assertThat(api.send("GET", "/health", null).statusCode()).isEqualTo(200);
            assertThat(api.addBatch("batch-1", "LAMP", 10, "2011-01-02").statusCode()).isEqualTo(201);
            assertThat(api.addBatch("batch-0", "LAMP", 10, "2011-01-01").statusCode()).isEqualTo(201);
            assertThat(api.allocate("order-1", "LAMP", 2).statusCode()).isEqualTo(202);
            assertThat(api.allocate("order-1", "NOPE", 2).statusCode()).isEqualTo(400);

            assertThat(api.allocations("order-1").body()).isEqualTo("[{\"sku\":\"LAMP\",\"batchref\":\"batch-0\"}]");
        }
    }

    /** A fresh database of this test's own on the local PostgreSQL; skips (or fails on CI) without one. */
    private static void recreatePostgresDatabase() throws SQLException {
        Connection connection;
        try {
            connection = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + POSTGRES + " as postgres: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; with CI=true this test must run", e);
            }
            Assumptions.abort(message + "; skipping (set CI=true to fail instead)");
            return;
        }
        try (connection; Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }
}
