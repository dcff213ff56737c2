package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGConnectionPoolDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

/**
 * What an embedder is told when the class path lacks a driver it asked for, or when it hands
 * {@code jdbc(DataSource)} a data source that does not pool.
 */
class LeanClassPathTest {

    private final Logger bootstrapLog = (Logger) LoggerFactory.getLogger(Bootstrap.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        bootstrapLog.addAppender(logged);
    }

    @AfterEach
    void release() {
        bootstrapLog.detachAppender(logged);
    }

    @Test
    void asking_for_h2_without_it_names_the_artifact_and_the_alternatives() {
        PooledDataSources.Driver missing = PooledDataSources.H2.withDriverClass("org.h2.NoSuchDriver");

        assertThatThrownBy(() -> missing.requireFor("jdbc:h2:mem:x;PASSWORD=secret"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jdbc:h2:mem:x")
                .hasMessageContaining("com.h2database:h2")
                .hasMessageContaining("jdbc(url, user, password)")
                .hasMessageContaining("inMemory()")
                .hasMessageNotContaining("secret");
    }

    @Test
    void a_missing_h2_does_not_matter_to_a_postgresql_url() {
        PooledDataSources.Driver missing = PooledDataSources.H2.withDriverClass("org.h2.NoSuchDriver");

        assertThatCode(() -> missing.requireFor("jdbc:postgresql://db/allocation")).doesNotThrowAnyException();
    }

    @Test
    void a_postgresql_url_without_its_driver_names_the_artifact() {
        PooledDataSources.Driver missing = PooledDataSources.POSTGRESQL.withDriverClass("org.postgresql.NoSuchDriver");

        assertThatThrownBy(() -> missing.requireFor("jdbc:postgresql://db:5432/allocation?password=secret"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.postgresql:postgresql")
                .hasMessageContaining("jdbc:postgresql://db:5432/allocation")
                .hasMessageNotContaining("secret");
    }

    @Test
    void drivers_on_the_class_path_pass_the_check() {
        assertThatCode(() -> {
            PooledDataSources.requireDriver("jdbc:h2:mem:x");
            PooledDataSources.requireDriver("jdbc:postgresql://db/allocation");
            PooledDataSources.requireDriver("jdbc:other:x");
        }).doesNotThrowAnyException();
    }

    @Test
    void the_drivers_own_data_sources_and_springs_simple_ones_are_known_not_to_pool() {
        assertThat(PooledDataSources.isKnownNotToPool(PGSimpleDataSource.class)).isTrue();
        assertThat(PooledDataSources.isKnownNotToPool(PGConnectionPoolDataSource.class)).isTrue();
        assertThat(PooledDataSources.isKnownNotToPool(JdbcDataSource.class)).isTrue();
        assertThat(PooledDataSources.NOT_POOLING).contains(
                "org.springframework.jdbc.datasource.DriverManagerDataSource",
                "org.springframework.jdbc.datasource.SimpleDriverDataSource");
        assertThat(PooledDataSources.isKnownNotToPool(HikariDataSource.class)).isFalse();
    }

    @Test
    void an_unpooled_data_source_is_a_warning_when_the_service_is_built() {
        JdbcDataSource unpooled = new JdbcDataSource();
        unpooled.setURL("jdbc:h2:mem:lean-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

        try (AllocationService service = Bootstrap.builder().jdbc(unpooled).build()) {
            assertThat(service.isHealthy()).isTrue();
        }

        assertThat(warnings()).singleElement().satisfies(warning -> assertThat(warning)
                .contains("org.h2.jdbcx.JdbcDataSource", "does not pool", "jdbc(url, user, password)"));
    }

    @Test
    void a_pool_is_no_warning() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:h2:mem:lean-" + UUID.randomUUID());
            try (AllocationService service = Bootstrap.builder().jdbc(pool).build()) {
                assertThat(service.isHealthy()).isTrue();
            }
        }

        assertThat(warnings()).isEmpty();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
