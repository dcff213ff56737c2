package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.AllocationView;
import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What this adapter promises beyond the port contract: how many statements it costs, what it writes,
 * how it behaves under concurrency and faults, and what the schema refuses. Runs on each database
 * ({@link H2JdbiStorageTest}, {@link PostgresJdbiStorageTest}) with each locking.
 */
abstract class JdbiStorageTest {

    static final LocalDate TOMORROW = LocalDate.now().plusDays(1);

    private final Locking locking;
    RecordingDataSource database;
    JdbiStorage storage;
    Jdbi direct;

    JdbiStorageTest(Locking locking) {
        this.locking = locking;
    }

    /** A fresh, empty (or emptied) database for one test. */
    abstract DataSource emptyDatabase();

    /** The locking strategy under test. */
    final Locking locking() {
        return locking;
    }

    @BeforeEach
    void buildStorage() {
        DataSource raw = emptyDatabase();
        direct = Jdbi.create(raw);
        database = new RecordingDataSource(raw);
        storage = JdbiStorage.builder(database).locking(locking()).build();
        database.reset();
    }

    @AfterEach
    void everyConnectionWentBack() {
        assertThat(database.openConnections()).as("connections not given back").isZero();
    }

    // ---- cost ---------------------------------------------------------------------------------

    @Test
    void loading_a_product_costs_the_same_queries_however_many_batches_and_lines_it_holds() {
        saveProduct("SMALL", 1, 1);
        saveProduct("LARGE", 40, 10);

        int small = statementsToLoad("SMALL");
        int large = statementsToLoad("LARGE");

        assertThat(large).isEqualTo(small).isEqualTo(locking() == Locking.OPTIMISTIC ? 1 : 2);
    }

    @Test
    void finding_a_product_by_a_batch_reference_costs_one_lookup_of_its_sku_more_than_by_its_sku() {
        saveProduct("BY-REF", 5, 20);
        int bySku = statementsToLoad("BY-REF");

        database.reset();
        try (UnitOfWork uow = storage.start()) {
            assertThat(uow.products().getByBatchRef("BY-REF-3")).isPresent();
        }

        assertThat(database.executed()).hasSize(bySku + 1)
                .startsWith("SELECT sku FROM batch_references WHERE reference = ?");
        assertThat(database.executed().subList(1, bySku + 1)).allMatch(sql -> sql.contains("sku = ?"));
    }

    @Test
    void an_allocation_costs_the_same_round_trips_however_many_lines_the_sku_holds() {
        saveProduct("FEW", 3, 1);
        saveProduct("MANY", 3, 200);

        List<String> few = statementsToAllocate("FEW");
        List<String> many = statementsToAllocate("MANY");

        assertThat(many).isEqualTo(few);
        // one read (a lock first, pessimistic), then the writes: together on PostgreSQL, one by one on H2
        int reads = locking() == Locking.OPTIMISTIC ? 1 : 2;
        assertThat(many).hasSize(reads + (writesTogether() ? 1 : 5));
        assertThat(database.commits()).isEqualTo(1);
        // on PostgreSQL the COMMIT ends the writes' round trip: the connection's commit then sends nothing
        assertThat(many.get(many.size() - 1).endsWith("; COMMIT")).isEqualTo(writesTogether());
        assertThat(database.commitsSent()).isEqualTo(writesTogether() ? 0 : 1);
    }

    @Test
    void a_unit_whose_writes_must_each_change_a_row_commits_only_once_their_counts_are_read() {
        saveProduct("COUNTED", 1, 5);
        database.reset();

        // the lines a shrinking batch gives up must each be found and deleted: a count of zero is a lost race
        write(uow -> uow.products().getByBatchRef("COUNTED-0").orElseThrow().changeBatchQuantity("COUNTED-0", 3));

        assertThat(database.executed()).noneMatch(sql -> sql.endsWith("COMMIT"));
        assertThat(database.commitsSent()).isEqualTo(1);
        assertThat(count("allocations")).isEqualTo(3);
    }

    @Test
    void a_product_loaded_to_allocate_an_order_comes_with_that_orders_line_in_the_same_query() {
        saveProduct("HELD", 2, 3);
        database.reset();

        try (UnitOfWork uow = storage.start()) {
            Product product = uow.products().getForAllocation("HELD", "line-1").orElseThrow();
            product.allocate(new OrderLine("line-1", "HELD", 1));   // held already: nothing more to ask
            assertThat(product.events()).isEmpty();
        }

        assertThat(database.executed()).hasSize(locking() == Locking.OPTIMISTIC ? 1 : 2)
                .last().asString().contains("LEFT JOIN allocations held");
    }

    @Test
    void an_allocation_writes_only_the_product_version_the_new_line_its_batch_its_view_row_and_its_event() {
        saveProduct("SHELF", 5, 2);

        List<String> writes = statementsIn(statementsToAllocate("SHELF")).stream()
                .filter(sql -> !sql.startsWith("SELECT") && !sql.equals("COMMIT")).toList();

        assertThat(writes).hasSize(5);
        assertThat(writes.get(0)).contains("UPDATE products SET version = ? WHERE sku = ? AND version = ?");
        assertThat(writes.subList(1, 3)).containsExactly(
                "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)",
                "UPDATE batches SET purchased_quantity = ?, allocated_quantity = ? WHERE sku = ? AND reference = ?");
        assertThat(writes.get(3)).contains("INTO allocations_view");
        assertThat(writes.get(4)).startsWith("INSERT INTO outbox");
    }

    @Test
    void a_stale_version_stops_the_writes_sent_with_it_before_they_run() {
        assumeTrue(locking() == Locking.OPTIMISTIC, "one thread cannot hold two pessimistic units of one sku");
        saveProduct("GATE", 2, 0);
        try (UnitOfWork stale = storage.start()) {
            Product theirs = stale.products().getForAllocation("GATE", "mine").orElseThrow();   // "mine" not held
            write(uow -> uow.products().get("GATE").orElseThrow().allocate(new OrderLine("mine", "GATE", 1)));
            theirs.allocate(new OrderLine("mine", "GATE", 1));   // a line the other unit holds now

            // had the insert of the line run, its duplicate key would be the failure
            assertThatThrownBy(stale::commit).isInstanceOf(ConcurrencyConflict.class)
                    .hasMessageContaining("Product GATE changed since it was loaded at version");
        }
        assertThat(strings("SELECT orderid FROM allocations")).containsExactly("mine");
    }

    @Test
    void an_allocation_and_its_read_model_row_commit_in_one_transaction() {
        saveProduct("ONE-TX", 1, 0);
        database.reset();

        write(uow -> uow.products().get("ONE-TX").orElseThrow().allocate(new OrderLine("o1", "ONE-TX", 1)));

        assertThat(database.commits()).isEqualTo(1);
        assertThat(storage.readModel().allocationsFor("o1")).containsExactly(new AllocationView("ONE-TX", "ONE-TX-0"));
    }

    @Test
    void a_read_model_row_is_not_written_when_its_commit_fails() {
        saveProduct("ATOMIC", 1, 0);

        assertThatThrownBy(() -> write(uow -> {
            uow.products().get("ATOMIC").orElseThrow().allocate(new OrderLine("o1", "ATOMIC", 1));
            // another writer slips the same line in behind this unit's back: its insert of the line fails
            direct.useHandle(h -> h.execute(
                    "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES ('o1', 'ATOMIC', 1, 'ATOMIC-0')"));
        })).isInstanceOf(RuntimeException.class);

        assertThat(storage.readModel().allocationsFor("o1")).isEmpty();
        assertThat(count("allocations_view")).isZero();
    }

    @Test
    void a_shrink_leaves_a_tombstone_in_the_view_for_each_line_it_gives_back() {
        saveProduct("TOMB", 1, 3);

        write(uow -> uow.products().get("TOMB").orElseThrow().changeBatchQuantity("TOMB-0", 1));

        assertThat(ints("SELECT COUNT(*) FROM allocations_view WHERE sku = 'TOMB' AND batchref IS NULL")).containsExactly(2);
    }

    @Test
    void a_unit_that_changes_nothing_writes_nothing() {
        save(new Product("EMPTY", new ArrayList<>(List.of(new Batch("empty-1", "EMPTY", 0, null)))));
        database.reset();

        write(uow -> uow.products().get("EMPTY").orElseThrow().allocate(new OrderLine("o1", "EMPTY", 1)));

        assertThat(database.executed()).allMatch(sql -> sql.startsWith("SELECT"));
    }

    @Test
    void shrinking_a_batch_reads_its_lines_once_and_deletes_the_lines_it_gives_up_in_one_round_trip() {
        saveProduct("BULK", 1, 50);
        database.reset();

        write(uow -> uow.products().getByBatchRef("BULK-0").orElseThrow().changeBatchQuantity("BULK-0", 25));

        List<String> executed = database.executed();
        assertThat(executed).filteredOn(sql -> sql.contains("FROM allocations WHERE sku = ? AND batchref")).hasSize(1);
        assertThat(executed).filteredOn(sql -> sql.contains("DELETE FROM allocations")).hasSize(1);
        assertThat(count("allocations")).isEqualTo(25);
        assertThat(ints("SELECT allocated_quantity FROM batches WHERE reference = 'BULK-0'")).containsExactly(25);
    }

    @Test
    void a_unit_writing_more_statements_than_one_round_trip_carries_sends_them_in_several() {
        Product product = new Product("MANY-LINES", new ArrayList<>(List.of(new Batch("MANY-LINES-0", "MANY-LINES", 450, null))));
        for (int i = 0; i < 450; i++) {
            product.allocate(new OrderLine("line-" + i, "MANY-LINES", 1));
        }
        save(product);
        assertThat(count("allocations")).isEqualTo(450);
        database.reset();

        write(uow -> uow.products().getByBatchRef("MANY-LINES-0").orElseThrow().changeBatchQuantity("MANY-LINES-0", 0));

        // the version check, 450 deleted lines, the batch, 450 view rows, 450 Deallocated events are not
        // outgoing: 902 statements
        List<String> writes = database.executed().stream().filter(sql -> !sql.startsWith("SELECT")).toList();
        int statements = 1 + 450 + 1 + 450;
        assertThat(writes).hasSize(writesTogether()
                ? (statements + Writes.PER_ROUND_TRIP - 1) / Writes.PER_ROUND_TRIP : 4);
        assertThat(count("allocations")).isZero();
        assertThat(ints("SELECT allocated_quantity FROM batches WHERE reference = 'MANY-LINES-0'")).containsExactly(0);
        assertThat(ints("SELECT COUNT(*) FROM allocations_view WHERE sku = 'MANY-LINES' AND batchref IS NULL"))
                .containsExactly(450);
    }

    @Test
    void a_shrinking_batch_gives_up_its_newest_lines_first() {
        saveProduct("ORDERLY", 1, 0);
        for (int i = 0; i < 5; i++) {
            String orderId = "o" + i;
            write(uow -> uow.products().get("ORDERLY").orElseThrow().allocate(new OrderLine(orderId, "ORDERLY", 4)));
        }

        write(uow -> uow.products().get("ORDERLY").orElseThrow().changeBatchQuantity("ORDERLY-0", 8));

        assertThat(strings("SELECT orderid FROM allocations ORDER BY id")).containsExactly("o0", "o1");
    }

    @Test
    void a_new_product_is_inserted_with_all_its_batches_in_one_round_trip() {
        save(new Product("NEW", new ArrayList<>(List.of(new Batch("new-1", "NEW", 1, null),
                new Batch("new-2", "NEW", 2, TOMORROW), new Batch("new-3", "NEW", 3, null)))));

        assertThat(database.executed()).hasSize(writesTogether() ? 1 : 3);
        assertThat(statementsIn(database.executed()).stream().filter(sql -> !sql.equals("COMMIT")).distinct()).containsExactly(
                "INSERT INTO products (sku, version) VALUES (?, ?)",
                "INSERT INTO batch_references (reference, sku) VALUES (?, ?)",
                "INSERT INTO batches (reference, sku, purchased_quantity, allocated_quantity, eta) VALUES (?, ?, ?, ?, ?)");
        assertThat(count("batches")).isEqualTo(3);
        assertThat(count("batch_references")).isEqualTo(3);
    }

    @Test
    void starting_a_unit_takes_no_connection_until_it_is_used() {
        try (UnitOfWork uow = storage.start()) {
            assertThat(database.connectionsTaken()).isZero();
            uow.products().get("ANY");
            assertThat(database.connectionsTaken()).isEqualTo(1);
        }
    }

    @Test
    void batches_come_back_in_the_order_they_were_added() {
        save(new Product("ORDER", new ArrayList<>(List.of(new Batch("z", "ORDER", 1, null),
                new Batch("a", "ORDER", 1, null), new Batch("m", "ORDER", 1, null)))));

        assertThat(load("ORDER").batches()).extracting(Batch::reference).containsExactly("z", "a", "m");
    }

    // ---- concurrency --------------------------------------------------------------------------

    @Test
    void concurrent_writers_never_over_allocate_and_every_line_is_counted_in_its_batch() throws Exception {
        save(new Product("HOT", new ArrayList<>(List.of(new Batch("hot-1", "HOT", 80, null),
                new Batch("hot-2", "HOT", 80, TOMORROW)))));
        AtomicInteger conflicts = new AtomicInteger();

        List<String> allocated = runConcurrently(8, 20, (thread, i) -> {
            String orderId = "order-" + thread + "-" + i;
            while (true) {
                try (UnitOfWork uow = storage.start()) {
                    boolean done = uow.products().get("HOT").orElseThrow()
                            .allocate(new OrderLine(orderId, "HOT", 1)).isPresent();
                    uow.commit();
                    return done ? orderId : null;
                } catch (ConcurrencyConflict lost) {
                    conflicts.incrementAndGet();
                }
            }
        });

        assertThat(allocated).doesNotContainNull().hasSize(160).doesNotHaveDuplicates();
        assertBatchesMatchTheirLines();
        if (locking() == Locking.PESSIMISTIC) {
            assertThat(conflicts).as("pessimistic writers wait instead of failing").hasValue(0);
        }
    }

    @Test
    void a_batch_reference_created_concurrently_under_another_sku_is_a_conflict() {
        try (UnitOfWork first = storage.start(); UnitOfWork second = storage.start()) {
            first.products().add(new Product("FIRST", new ArrayList<>(List.of(new Batch("shared", "FIRST", 1, null)))));
            second.products().add(new Product("SECOND", new ArrayList<>(List.of(new Batch("shared", "SECOND", 1, null)))));
            first.commit();

            assertThatThrownBy(second::commit).isInstanceOf(ConcurrencyConflict.class);
        }
        assertThat(count("products")).isEqualTo(1);
        assertThat(count("batches")).isEqualTo(1);
    }

    @Test
    void a_stale_unit_leaves_no_row_of_its_own() {
        assumeTrue(locking() == Locking.OPTIMISTIC, "one thread cannot hold two pessimistic units of one sku");
        saveProduct("STALE", 1, 0);
        try (UnitOfWork stale = storage.start()) {
            Product theirs = stale.products().get("STALE").orElseThrow();
            write(uow -> uow.products().get("STALE").orElseThrow().allocate(new OrderLine("mine", "STALE", 1)));
            theirs.allocate(new OrderLine("theirs", "STALE", 1));
            theirs.addBatch(new Batch("theirs-batch", "STALE", 5, null));
            theirs.changeBatchQuantity("STALE-0", 50);

            assertThatThrownBy(stale::commit).isInstanceOf(ConcurrencyConflict.class);
        }
        assertThat(strings("SELECT orderid FROM allocations")).containsExactly("mine");
        assertThat(ints("SELECT purchased_quantity FROM batches")).containsExactly(100);
    }

    // ---- faults -------------------------------------------------------------------------------

    @Test
    void a_connection_lost_at_commit_leaves_nothing_half_written_and_the_next_unit_works() {
        saveProduct("FRAGILE", 1, 0);
        database.failNextCommit();

        assertThatThrownBy(() -> write(uow -> {
            Product product = uow.products().get("FRAGILE").orElseThrow();
            product.allocate(new OrderLine("lost", "FRAGILE", 1));
            product.addBatch(new Batch("lost-batch", "FRAGILE", 1, null));
        })).isNotInstanceOf(ConcurrencyConflict.class);

        assertThat(count("allocations")).isZero();
        assertThat(count("batches")).isEqualTo(1);
        assertThat(load("FRAGILE").versionNumber()).isZero();
        write(uow -> uow.products().get("FRAGILE").orElseThrow().allocate(new OrderLine("kept", "FRAGILE", 1)));
        assertThat(load("FRAGILE").batches().get(0).lineFor("kept")).isPresent();
    }

    @Test
    void the_connection_goes_back_on_every_path() {
        saveProduct("PATHS", 1, 0);
        try (UnitOfWork uow = storage.start()) {
            uow.products().get("PATHS");
            uow.rollback();
            assertThat(database.openConnections()).isZero();
        }
        try (UnitOfWork uow = storage.start()) {
            uow.products().get("PATHS").orElseThrow().allocate(new OrderLine("o1", "PATHS", 1));
        }
        assertThat(database.openConnections()).isZero();
        assertThatThrownBy(() -> {
            try (UnitOfWork uow = storage.start()) {
                uow.products().get("PATHS");
                throw new IllegalStateException("a handler failed");
            }
        }).hasMessage("a handler failed");
        assertThat(database.openConnections()).isZero();
        Product detached = load("PATHS");
        assertThat(detached.batches().get(0).allocations()).isEmpty();
        assertThat(database.openConnections()).isZero();
    }

    @Test
    void a_unit_cannot_be_used_after_it_is_closed() {
        UnitOfWork uow = storage.start();
        uow.close();

        assertThatThrownBy(uow::products).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(uow::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void while_the_database_is_down_a_unit_fails_when_used_and_the_next_one_works_once_it_is_back() {
        saveProduct("DOWN", 1, 0);
        database.down(true);

        assertThatThrownBy(() -> load("DOWN")).isNotInstanceOf(ConcurrencyConflict.class);

        database.down(false);
        write(uow -> uow.products().get("DOWN").orElseThrow().allocate(new OrderLine("o1", "DOWN", 1)));
        assertThat(count("allocations")).isEqualTo(1);
    }

    @Test
    void the_storage_is_healthy_while_its_database_answers() {
        assertThat(storage.isHealthy()).isTrue();
        database.down(true);
        assertThat(storage.isHealthy()).isFalse();
        database.down(false);
        assertThat(storage.isHealthy()).isTrue();
    }

    // ---- read model ---------------------------------------------------------------------------

    @Test
    void a_deallocated_line_leaves_a_tombstone_in_the_view() {
        saveProduct("TOMB", 1, 0);
        write(uow -> uow.products().get("TOMB").orElseThrow().allocate(new OrderLine("o1", "TOMB", 30)));

        write(uow -> uow.products().get("TOMB").orElseThrow().changeBatchQuantity("TOMB-0", 10));

        assertThat(storage.readModel().allocationsFor("o1")).isEmpty();
        assertThat(viewRow("o1", "TOMB")).containsEntry("batchref", null).containsEntry("version", 2L);
    }

    @Test
    void a_commit_never_replaces_a_newer_row_of_the_view() {
        saveProduct("NEWER", 1, 0);
        write(uow -> uow.products().get("NEWER").orElseThrow().allocate(new OrderLine("o1", "NEWER", 30)));
        direct.useHandle(h -> h.execute(
                "UPDATE allocations_view SET batchref = 'from-the-future', version = 99 WHERE orderid = 'o1'"));

        write(uow -> uow.products().get("NEWER").orElseThrow().changeBatchQuantity("NEWER-0", 10));

        assertThat(storage.readModel().allocationsFor("o1")).containsExactly(new AllocationView("NEWER", "from-the-future"));
    }

    // ---- strings and the schema ---------------------------------------------------------------

    @Test
    void hostile_strings_are_stored_and_read_back_exactly_everywhere() {
        String sku = "it's \"quoted\"'; DROP TABLE batches; --";
        String ref = "e\u0301 (combining) \u00e9 \uD83D\uDE00 \u65e5\u672c \\ % _ \u00a0";
        String orderId = "\uD83D\uDCE6".repeat(127) + "x";
        String longSku = "S".repeat(255);
        save(new Product(sku, new ArrayList<>(List.of(new Batch(ref, sku, 10, null)))));
        save(new Product(longSku, new ArrayList<>(List.of(new Batch("R".repeat(255), longSku, 10, null)))));
        write(uow -> uow.products().get(sku).orElseThrow().allocate(new OrderLine(orderId, sku, 2)));
        write(uow -> uow.products().get(longSku).orElseThrow().allocate(new OrderLine(orderId, longSku, 2)));

        Product product;
        try (UnitOfWork uow = storage.start()) {
            product = uow.products().getByBatchRef(ref).orElseThrow();
        }
        assertThat(product.sku()).isEqualTo(sku);
        assertThat(product.batches().get(0).reference()).isEqualTo(ref);
        assertThat(product.batches().get(0).allocations()).containsExactly(new OrderLine(orderId, sku, 2));
        assertThat(storage.readModel().allocationsFor(orderId))
                .containsExactlyInAnyOrder(new AllocationView(sku, ref), new AllocationView(longSku, "R".repeat(255)));
        assertThat(strings("SELECT orderid FROM allocations")).containsOnly(orderId);
    }

    @Test
    void the_schema_refuses_an_over_allocated_batch_or_negative_quantities() {
        saveProduct("STRICT", 1, 0);

        assertThatThrownBy(() -> direct.useHandle(h -> h.execute(
                "UPDATE batches SET allocated_quantity = purchased_quantity + 1"))).hasMessageContaining("batches");
        assertThatThrownBy(() -> direct.useHandle(h -> h.execute(
                "UPDATE batches SET purchased_quantity = -1, allocated_quantity = -1"))).hasMessageContaining("batches");
    }

    @Test
    void the_schema_refuses_a_second_line_for_one_order_and_sku_and_a_line_of_another_sku() {
        saveProduct("ONCE", 1, 0);
        saveProduct("OTHER", 1, 0);
        write(uow -> uow.products().get("ONCE").orElseThrow().allocate(new OrderLine("o1", "ONCE", 1)));

        assertThatThrownBy(() -> direct.useHandle(h -> h.execute(
                "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES ('o1', 'ONCE', 1, 'ONCE-0')")))
                .hasMessageContaining("allocations");
        assertThatThrownBy(() -> direct.useHandle(h -> h.execute(
                "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES ('o2', 'OTHER', 1, 'ONCE-0')")))
                .hasMessageContaining("allocations");
        assertThatThrownBy(() -> direct.useHandle(h -> h.execute(
                "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES ('o3', 'ONCE', 0, 'ONCE-0')")))
                .hasMessageContaining("allocations");
    }

    @Test
    void migrations_are_recorded_in_their_own_history_table_and_run_once() {
        JdbiStorage.builder(database).build();

        assertThat(ints("SELECT count(*) FROM \"" + JdbiStorage.SCHEMA_HISTORY_TABLE + "\" WHERE \"success\" AND \"version\" = '1'"))
                .containsExactly(1);
    }

    @Test
    void every_migration_of_the_location_ran_the_java_ones_included() {
        assertThat(strings("SELECT \"version\" FROM \"" + JdbiStorage.SCHEMA_HISTORY_TABLE
                + "\" WHERE \"success\" AND \"version\" IS NOT NULL AND \"version\" <> '0' ORDER BY \"installed_rank\""))
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
    }

    @Test
    void the_schema_refuses_an_outbox_event_in_an_unknown_state_and_takes_each_known_one() {
        String insert = "INSERT INTO outbox (event_id, sku, type, payload, state, recorded_at, attempts, next_attempt_at)"
                + " VALUES (?, 'SKU', 'Allocated', '', ?, 0, 0, 0)";

        assertThatThrownBy(() -> direct.useHandle(h -> h.execute(insert, "e-unknown", "X"))).hasMessageContaining("outbox");
        for (String state : List.of("P", "S", "D")) {
            direct.useHandle(h -> h.execute(insert, "e-" + state, state));
        }
        assertThat(count("outbox")).isEqualTo(3);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Saves product {@code sku} with {@code batches} batches of 100 (refs sku-0, sku-1...), lines on the first. */
    void saveProduct(String sku, int batches, int lines) {
        List<Batch> list = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            list.add(new Batch(sku + "-" + i, sku, 100, i == 0 ? null : TOMORROW.plusDays(i)));
        }
        Product product = new Product(sku, list);
        for (int i = 0; i < lines; i++) {
            product.allocate(new OrderLine("line-" + i, sku, 1));
        }
        save(product);
    }

    void save(Product product) {
        database.reset();
        try (UnitOfWork uow = storage.start()) {
            uow.products().add(product);
            uow.commit();
        }
    }

    void write(Consumer<UnitOfWork> change) {
        try (UnitOfWork uow = storage.start()) {
            change.accept(uow);
            uow.commit();
        }
    }

    Product load(String sku) {
        try (UnitOfWork uow = storage.start()) {
            return uow.products().get(sku).orElseThrow();
        }
    }

    int count(String table) {
        return ints("SELECT count(*) FROM " + table).get(0);
    }

    List<String> strings(String sql) {
        return direct.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    List<Integer> ints(String sql) {
        return direct.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).list());
    }

    Map<String, Object> viewRow(String orderId, String sku) {
        return direct.withHandle(h -> h.createQuery(
                "SELECT batchref, version FROM allocations_view WHERE orderid = :o AND sku = :s")
                .bind("o", orderId).bind("s", sku).mapToMap().one());
    }

    private int statementsToLoad(String sku) {
        database.reset();
        load(sku);
        return database.executed().size();
    }

    /** The statements executed to allocate a new order's line of {@code sku}, as the Allocate handler loads it. */
    private List<String> statementsToAllocate(String sku) {
        database.reset();
        write(uow -> uow.products().getForAllocation(sku, "new-order").orElseThrow()
                .allocate(new OrderLine("new-order", sku, 1)));
        return database.executed();
    }

    /** True where a unit's writes go to the database together, in one round trip (PostgreSQL). */
    private boolean writesTogether() {
        try (Connection connection = database.getConnection()) {
            return Dialect.of(connection) == Dialect.POSTGRESQL;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each statement of {@code executed}, those sent together in one execution split apart. */
    private static List<String> statementsIn(List<String> executed) {
        return executed.stream().flatMap(sql -> Arrays.stream(sql.split("; "))).toList();
    }

    /** Every batch's allocated quantity is the sum of its lines and within what was purchased. */
    void assertBatchesMatchTheirLines() {
        List<Map<String, Object>> mismatches = direct.withHandle(h -> h.createQuery("""
                SELECT b.reference, b.allocated_quantity, b.purchased_quantity,
                       (SELECT COALESCE(SUM(a.qty), 0) FROM allocations a WHERE a.batchref = b.reference) AS lines
                FROM batches b""").mapToMap().list()).stream()
                .filter(row -> ((Number) row.get("allocated_quantity")).longValue() != ((Number) row.get("lines")).longValue()
                        || ((Number) row.get("allocated_quantity")).longValue() > ((Number) row.get("purchased_quantity")).longValue())
                .toList();
        assertThat(mismatches).isEmpty();
    }

    /** A task of one thread: thread number and iteration in, a result out. */
    @FunctionalInterface
    interface Task {
        String run(int thread, int iteration) throws Exception;
    }

    /** Runs {@code iterations} of {@code task} on each of {@code threads} threads, started together. */
    static List<String> runConcurrently(int threads, int iterations, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<String>> work = () -> {
                    start.await();
                    List<String> results = new ArrayList<>();
                    for (int i = 0; i < iterations; i++) {
                        results.add(task.run(thread, i));
                    }
                    return results;
                };
                futures.add(pool.submit(work));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> future : futures) {
                all.addAll(future.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
