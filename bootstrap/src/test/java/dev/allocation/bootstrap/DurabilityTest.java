package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.application.AllocationView;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one service committed is there for the next one built on the same database. */
class DurabilityTest {

    @Test
    void an_h2_file_database_keeps_allocations_across_services(@TempDir Path folder) {
        survivesARestart(() -> Bootstrap.builder().h2(folder).build());
    }

    @Test
    void a_postgres_database_keeps_allocations_across_services() {
        try (TestDatabase database = TestDatabases.postgres()) {
            survivesARestart(() -> Bootstrap.builder()
                    .jdbc(database.url(), database.user(), database.password()).build());
        }
    }

    @Test
    void closing_the_service_leaves_the_callers_data_source_open() {
        try (TestDatabase database = TestDatabases.h2InMemory();
             HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(database.url());
            pool.setUsername(database.user());
            pool.setPassword(database.password());
            AllocationService service = Bootstrap.builder().jdbc(pool).build();

            service.close();

            assertThat(pool.isClosed()).isFalse();
        }
    }

    @Test
    void a_service_reports_healthy_storage_until_it_is_closed() {
        AllocationService service = Bootstrap.builder().build();
        assertThat(service.isHealthy()).isTrue();

        service.close();

        assertThat(service.isHealthy()).isFalse();
    }

    private static void survivesARestart(Supplier<AllocationService> services) {
        try (AllocationService first = services.get()) {
            first.handle(new CreateBatch("b1", "DURABLE-DESK", 10, null));
            first.handle(new Allocate("o1", "DURABLE-DESK", 4));
        }
        try (AllocationService second = services.get()) {
            assertThat(second.allocations("o1")).containsExactly(new AllocationView("DURABLE-DESK", "b1"));
            second.handle(new Allocate("o2", "DURABLE-DESK", 6));
            second.handle(new Allocate("o3", "DURABLE-DESK", 1));
            assertThat(second.allocations("o2")).containsExactly(new AllocationView("DURABLE-DESK", "b1"));
            assertThat(second.allocations("o3")).isEmpty();
        }
    }
}
