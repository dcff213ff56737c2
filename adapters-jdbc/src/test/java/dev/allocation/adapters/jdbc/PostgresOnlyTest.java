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
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only a PostgreSQL server can show: a backend killed mid-unit, server-side prepared statements, the
 * outbox's lean indexes, and the relay vacuuming the outbox.
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

    @Test
    void the_relay_vacuums_the_outbox_once_it_has_deleted_enough_published_events() throws Exception {
        DataSource admin = postgres.database().dataSource();
        JdbiStorage storage = JdbiStorage.builder(admin).migrate(false).build();
        long vacuums = vacuums(admin);
        recordPending(admin, JdbiOutbox.VACUUM_AFTER - 1);

        relayAll(storage);
        assertThat(vacuums(admin)).isEqualTo(vacuums);   // not yet: one event short

        recordPending(admin, 1);
        relayAll(storage);
        awaitVacuums(admin, vacuums + 1);
        assertThat(Tables.integer(admin, "SELECT count(*) FROM outbox")).isZero();
    }

    @Test
    void a_relay_that_may_not_vacuum_the_outbox_goes_on_relaying() throws Exception {
        DataSource admin = postgres.database().dataSource();
        String role = "outbox_guest_" + Long.toHexString(System.nanoTime());
        execute(admin, "CREATE ROLE " + role + " LOGIN",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role,
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role);
        try {
            long vacuums = vacuums(admin);
            try (HikariDataSource guest = pool(config -> config.setUsername(role))) {
                JdbiStorage storage = JdbiStorage.builder(guest).migrate(false).build();
                recordPending(admin, JdbiOutbox.VACUUM_AFTER + 10);

                relayAll(storage);   // refused the vacuum (a warning), it deleted every event all the same

                recordPending(admin, 10);
                relayAll(storage);
            }
            assertThat(Tables.integer(admin, "SELECT count(*) FROM outbox")).isZero();
            assertThat(vacuums(admin)).isEqualTo(vacuums);
        } finally {
            execute(admin, "DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void on_a_pool_whose_connections_come_in_a_transaction_the_relays_and_operators_writes_commit() throws Exception {
        DataSource admin = postgres.database().dataSource();
        recordPending(admin, 10);
        execute(admin, "UPDATE outbox SET state = 'D' WHERE sku = 'V1'");
        // as a pool may be set up: each connection handed out in a transaction
        try (HikariDataSource inTransaction = pool(config -> config.setAutoCommit(false))) {
            JdbiStorage storage = JdbiStorage.builder(inTransaction).migrate(false).build();

            relayAll(storage);                                        // leases, claims, deletes
            assertThat(storage.outbox().purgeDead()).isEqualTo(1);   // an operator's write
        }
        assertThat(Tables.integer(admin, "SELECT count(*) FROM outbox")).isZero();
    }

    /** {@code count} pending events of as many skus, recorded as a unit of work records them, at once. */
    private static void recordPending(DataSource dataSource, int count) throws Exception {
        execute(dataSource, "INSERT INTO outbox (event_id, sku, sku_sequence, type, payload, state, recorded_at, "
                + "attempts, next_attempt_at) SELECT gen_random_uuid()::text, 'V' || n, 1, 'Allocated', "
                + "'{\"version\":1,\"type\":\"Allocated\",\"data\":{\"orderid\":\"o' || n || '\",\"sku\":\"V' || n "
                + "|| '\",\"qty\":1,\"batchref\":\"b\"}}', 'P', 0, 0, 0 FROM generate_series(1, " + count + ") n");
    }

    /** Claims and deletes every pending event, as the relay does once it published them. */
    private static void relayAll(JdbiStorage storage) {
        Instant now = Instant.now();
        List<OutboxEvent> claimed;
        while (!(claimed = storage.outbox().claim(500, now, now.plusSeconds(10))).isEmpty()) {
            storage.outbox().deletePublished(claimed);
        }
    }

    /** How often the outbox was vacuumed, by anyone but autovacuum. */
    private static long vacuums(DataSource dataSource) {
        return Tables.integer(dataSource, "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'outbox'");
    }

    /** Waits until the statistics, which the vacuuming backend reports on its own time, count {@code expected}. */
    private static void awaitVacuums(DataSource dataSource, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (vacuums(dataSource) < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(vacuums(dataSource)).isEqualTo(expected);
    }

    private static void execute(DataSource dataSource, String... statements) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** A pool of one connection, so that the statements asked about are its own. */
    private HikariDataSource oneConnection() {
        return pool(config -> config.setMaximumPoolSize(1));
    }

    /** A pool on the class's database as its user, with {@code settings} made on top. */
    private HikariDataSource pool(Consumer<HikariConfig> settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.database().url());
        config.setUsername(postgres.database().user());
        config.setPassword(postgres.database().password());
        settings.accept(config);
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
