package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.testing.PostgresPerClass;
import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.outbox.OutboxEvent;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only a PostgreSQL server can show: a backend killed mid-unit, server-side prepared statements, and
 * the outbox's lean indexes.
 * One database for the class, emptied before each test.
 */
class PostgresOnlyTest {

    @RegisterExtension
    static final PostgresPerClass postgres =
            new PostgresPerClass(dataSource -> JdbiStorage.builder(dataSource).build());   // migrates

    @Test
    void a_backend_terminated_mid_unit_fails_the_unit_writes_nothing_and_the_next_unit_works() throws Exception {
        RecordingDataSource database = new RecordingDataSource(postgres.database().dataSource());
        JdbiStorage storage = JdbiStorage.builder(database).build();
        save(storage, new Product("DOOMED", new ArrayList<>(List.of(new Batch("doomed-1", "DOOMED", 10, null)))));

        assertThatThrownBy(() -> {
            try (UnitOfWork uow = storage.start()) {
                Product product = uow.products().get("DOOMED").orElseThrow();
                terminate(backendOf(database.lastTaken()));
                product.allocate(new OrderLine("o1", "DOOMED", 2));
                uow.commit();
            }
        }).isNotInstanceOf(ConcurrencyConflict.class);

        assertThat(database.openConnections()).isZero();
        assertThat(Tables.integer(postgres.database().dataSource(), "SELECT count(*) FROM allocations")).isZero();
        try (UnitOfWork uow = storage.start()) {
            uow.products().get("DOOMED").orElseThrow().allocate(new OrderLine("o1", "DOOMED", 2));
            uow.commit();
        }
        assertThat(Tables.integer(postgres.database().dataSource(), "SELECT allocated_quantity FROM batches")).isEqualTo(2);
    }

    @Test
    void statements_are_prepared_on_the_server_when_connections_are_pooled() throws Exception {
        // the schema is there already (PostgresPerClass): Flyway would need two connections at once
        try (HikariDataSource pool = oneConnection()) {
            JdbiStorage storage = JdbiStorage.builder(pool).migrate(false).build();
            save(storage, new Product("PREPARED", new ArrayList<>(List.of(new Batch("prepared-1", "PREPARED", 100, null)))));
            allocate(storage, "PREPARED", 10);

            List<String> prepared = prepared(pool);
            assertThat(prepared).anyMatch(sql -> sql.contains("FROM products p LEFT JOIN batches")
                    && sql.contains("LEFT JOIN allocations held"));
            assertThat(prepared).anyMatch(sql -> sql.startsWith("WITH checked AS (UPDATE products SET version"));
            assertThat(prepared).anyMatch(sql -> sql.startsWith("INSERT INTO allocations"));
            assertThat(prepared).anyMatch(sql -> sql.startsWith("UPDATE batches"));
            assertThat(prepared).anyMatch(sql -> sql.startsWith("INSERT INTO allocations_view"));
            assertThat(prepared).anyMatch(sql -> sql.startsWith("INSERT INTO outbox"));
        }
    }

    @Test
    void the_relays_claims_marks_and_deletes_are_one_prepared_statement_whatever_the_batchs_size() throws Exception {
        try (HikariDataSource pool = oneConnection()) {
            JdbiStorage storage = JdbiStorage.builder(pool).migrate(false).build();
            save(storage, new Product("MARKED", new ArrayList<>(List.of(new Batch("marked-1", "MARKED", 100, null)))));
            allocate(storage, "MARKED", 42);

            Instant now = Instant.now();
            for (int size = 1; size <= 6; size++) {   // six sizes, each once: a list of parameters per size is never prepared
                List<OutboxEvent> claimed = storage.outbox().claim(size, now, now.plusSeconds(10));
                assertThat(claimed).hasSize(size);
                storage.outbox().markPublished(claimed, now);
            }
            for (int size = 1; size <= 6; size++) {
                List<OutboxEvent> claimed = storage.outbox().claim(size, now, now.plusSeconds(10));
                assertThat(claimed).hasSize(size);
                storage.outbox().deletePublished(claimed);
            }

            List<String> prepared = prepared(pool);
            assertThat(prepared).anyMatch(sql -> sql.startsWith("UPDATE outbox SET claimed_until"));
            assertThat(prepared).anyMatch(sql -> sql.startsWith("UPDATE outbox SET state = 'S'"));
            assertThat(prepared).anyMatch(sql -> sql.startsWith("DELETE FROM outbox WHERE id = ANY"));
        }
    }

    /** A pool of one connection, so that the statements asked about are its own. */
    private HikariDataSource oneConnection() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.database().url());
        config.setUsername(postgres.database().user());
        config.setPassword(postgres.database().password());
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }

    /** Allocates {@code orders} new order lines of one unit each to {@code sku}, a unit of work each. */
    private static void allocate(JdbiStorage storage, String sku, int orders) {
        for (int i = 0; i < orders; i++) {
            try (UnitOfWork uow = storage.start()) {
                uow.products().getForAllocation(sku, sku + "-o" + i).orElseThrow()
                        .allocate(new OrderLine(sku + "-o" + i, sku, 1));
                uow.commit();
            }
        }
    }

    /** The statements prepared on the server by the pool's one connection, blanks folded. */
    private static List<String> prepared(HikariDataSource pool) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT statement FROM pg_prepared_statements")) {
            List<String> prepared = new ArrayList<>();
            while (rs.next()) {
                prepared.add(rs.getString(1).replaceAll("\\s+", " ").trim());   // each of a unit's writes too
            }
            return prepared;
        }
    }

    @Test
    void the_outbox_indexes_pending_and_dead_events_alone_and_leaves_room_for_heap_only_claims() throws Exception {
        JdbiStorage.builder(postgres.database().dataSource()).build();

        try (Connection connection = postgres.database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT indexname, indexdef FROM pg_indexes "
                     + "WHERE tablename = 'outbox' ORDER BY indexname")) {
            List<String> indexes = new ArrayList<>();
            while (rs.next()) {
                indexes.add(rs.getString(1) + (rs.getString(2).contains(" WHERE ") ? " partial" : ""));
            }
            assertThat(indexes).containsExactly("outbox_by_id", "outbox_dead partial", "outbox_pending partial",
                    "outbox_pending_by_sku partial", "outbox_pk");
        }
        assertThat(Tables.integer(postgres.database().dataSource(), "SELECT count(*) FROM pg_class "
                + "WHERE relname = 'outbox' AND 'fillfactor=80' = ANY (reloptions)")).isEqualTo(1);
    }

    private static void save(JdbiStorage storage, Product product) {
        try (UnitOfWork uow = storage.start()) {
            uow.products().add(product);
            uow.commit();
        }
    }

    private static int backendOf(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void terminate(int pid) throws Exception {
        try (Connection admin = postgres.database().dataSource().getConnection(); Statement statement = admin.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }
}
