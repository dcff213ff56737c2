package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import dev.allocation.domain.commands.CreateBatch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of the pools a service opens itself, which keep its promises. */
class PooledDataSourcesTest {

    @Test
    void the_h2_files_of_a_service_write_every_commit_before_it_returns(@TempDir Path directory) throws Exception {
        try (HikariDataSource pool = PooledDataSources.h2File(directory);
             Connection connection = pool.getConnection();
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            List<String> delays = new ArrayList<>();
            while (rs.next()) {
                delays.add(rs.getString(1));
            }
            assertThat(delays).isNotEmpty().containsOnly("0");
        }
    }

    @Test
    void an_h2_url_gets_durable_commits_and_is_closed_by_the_service_not_by_h2s_shutdown_hook() {
        assertThat(PooledDataSources.withH2Defaults("jdbc:h2:file:./data/allocation"))
                .isEqualTo("jdbc:h2:file:./data/allocation;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void settings_given_in_an_h2_url_win() {
        assertThat(PooledDataSources.withH2Defaults("jdbc:h2:file:./x;write_delay=100;DB_CLOSE_ON_EXIT=TRUE"))
                .isEqualTo("jdbc:h2:file:./x;write_delay=100;DB_CLOSE_ON_EXIT=TRUE");
    }

    @Test
    void a_postgresql_pool_bounds_how_long_a_request_can_wait() {
        HikariConfig config = PooledDataSources.config("jdbc:postgresql://127.0.0.1:5432/allocation", "u", "p");

        assertThat(config.getConnectionTimeout()).isEqualTo(PooledDataSources.CONNECTION_TIMEOUT.toMillis());
        assertThat(config.getDataSourceProperties())
                .containsEntry("connectTimeout", "2").containsEntry("loginTimeout", "2")
                .containsEntry("socketTimeout", "5").containsEntry("options", "-c statement_timeout=4000");
    }

    @Test
    void a_service_opens_its_pool_at_the_size_asked_and_reports_to_the_metrics_given(@TempDir Path directory) {
        Map<String, PoolStats> reported = new ConcurrentHashMap<>();
        MetricsTrackerFactory metrics = (poolName, stats) -> {
            reported.put(poolName, stats);
            return new IMetricsTracker() { };
        };

        try (AllocationService service = Bootstrap.builder().h2(directory).poolSize(3).poolMetrics(metrics).build()) {
            service.handle(new CreateBatch("b1", "LAMP", 10, null));

            assertThat(reported).containsOnlyKeys("allocation");
            assertThat(reported.get("allocation").getMaxConnections()).isEqualTo(3);
        }
        assertThatThrownBy(() -> Bootstrap.builder().poolSize(0)).hasMessageContaining("poolSize must be between 1 and 1000");
    }
}
