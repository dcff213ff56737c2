package dev.allocation.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.allocation.application.AllocationView;
import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.Storage;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.events.OutOfStock;
import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.Product;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every storage adapter must do: the product repository, the unit of work and the read model.
 * A commit writes the read-model rows its products' events imply in the same transaction, so that the
 * read model agrees with the store once a command returns. Extend it, implement {@link #newStorage()}
 * (and {@link #closeStorage()} when there is something to release), and the same tests run against
 * your adapter.
 */
public abstract class StorageContract {

    private static final LocalDate TOMORROW = LocalDate.now().plusDays(1);

    private Storage storage;

    /** A fresh, empty storage for one test. */
    protected abstract Storage newStorage() throws Exception;

    /** Releases the storage of one test; nothing by default. */
    protected void closeStorage() throws Exception {
    }

    /**
     * Whether one thread can hold two units of work that both read one product before either commits.
     * Answer false for a storage that locks a product from its read to the commit (pessimistic locking):
     * there the second read would wait forever for the first unit, held by the same thread.
     */
    protected boolean oneThreadCanHoldTwoUnitsReadingOneProduct() {
        return true;
    }

    @BeforeEach
    final void openStorage() throws Exception {
        storage = newStorage();
    }

    @AfterEach
    final void releaseStorage() throws Exception {
        closeStorage();
    }

    // ---- repository -------------------------------------------------------------------------

    @Test
    void a_committed_product_can_be_read_back_with_its_batches() {
        saveProduct("RETRO-CLOCK", new Batch("b1", "RETRO-CLOCK", 100, null),
                new Batch("b2", "RETRO-CLOCK", 50, TOMORROW));

        Product product = product("RETRO-CLOCK").orElseThrow();

        assertThat(product.sku()).isEqualTo("RETRO-CLOCK");
        assertThat(product.batches()).extracting(Batch::reference, Batch::purchasedQuantity, Batch::eta)
                .containsExactlyInAnyOrder(tuple("b1", 100, Optional.empty()), tuple("b2", 50, Optional.of(TOMORROW)));
    }

    @Test
    void an_unknown_sku_is_empty() {
        assertThat(product("NO-SUCH-SKU")).isEmpty();
    }

    @Test
    void a_product_is_found_by_the_reference_of_any_of_its_batches() {
        saveProduct("LAMP", new Batch("lamp-1", "LAMP", 10, null), new Batch("lamp-2", "LAMP", 10, TOMORROW));

        assertThat(productWithBatch("lamp-2").map(Product::sku)).contains("LAMP");
        assertThat(productWithBatch("lamp-3")).isEmpty();
    }

    @Test
    void a_product_got_for_an_allocation_is_the_product_of_its_sku_and_knows_the_line_it_holds() {
        saveProduct("DESK", new Batch("desk-1", "DESK", 10, null), new Batch("desk-2", "DESK", 10, TOMORROW));
        allocate("o1", "DESK", 2);

        try (UnitOfWork uow = storage.start()) {
            Product product = uow.products().getForAllocation("DESK", "o1").orElseThrow();
            assertThat(uow.products().get("DESK")).containsSame(product);
            assertThat(uow.products().getForAllocation("DESK", "o2")).containsSame(product);
            assertThat(product.batches()).extracting(Batch::reference, Batch::allocatedQuantity)
                    .containsExactly(tuple("desk-1", 2), tuple("desk-2", 0));

            product.allocate(new OrderLine("o1", "DESK", 2));   // held already
            product.allocate(new OrderLine("o2", "DESK", 3));   // not held: allocated

            assertThat(product.events()).hasSize(1);
            assertThat(product.batches().get(0).allocations())
                    .containsExactly(new OrderLine("o1", "DESK", 2), new OrderLine("o2", "DESK", 3));
            assertThat(uow.products().getForAllocation("NO-SUCH-SKU", "o1")).isEmpty();
        }
    }

    @Test
    void allocations_and_the_version_survive_a_round_trip() {
        saveBatch("CHAIR", "chair-1", 20);
        allocate("o1", "CHAIR", 3);
        allocate("o2", "CHAIR", 4);

        Product product = product("CHAIR").orElseThrow();
        Batch batch = product.batches().get(0);

        assertThat(product.versionNumber()).isEqualTo(2);
        assertThat(batch.allocatedQuantity()).isEqualTo(7);
        assertThat(batch.lineFor("o1")).contains(new OrderLine("o1", "CHAIR", 3));
        assertThat(batch.allocations()).containsExactly(new OrderLine("o1", "CHAIR", 3), new OrderLine("o2", "CHAIR", 4));
    }

    @Test
    void deallocated_lines_are_gone_from_the_store_and_the_read_model_at_once_after_commit() {
        saveBatch("TABLE", "table-1", 10);
        allocate("o1", "TABLE", 4);
        allocate("o2", "TABLE", 4);

        changeBatchQuantity("TABLE", "table-1", 5);

        Batch batch = firstBatch("TABLE");
        assertThat(batch.purchasedQuantity()).isEqualTo(5);
        assertThat(batch.allocatedQuantity()).isEqualTo(4);
        assertThat(batch.allocations()).containsExactly(new OrderLine("o1", "TABLE", 4));
        assertThat(allocationsFor("o2")).isEmpty();
        assertThat(allocationsFor("o1")).containsExactly(new AllocationView("TABLE", "table-1"));
    }

    @Test
    void hostile_strings_are_stored_and_read_back_exactly() {
        String sku = "sku'; DROP TABLE batches; -- \"é\u0301 😀 ✓";
        String ref = "ref\\' OR '1'='1 \u00e4\u0308 日本";
        String orderId = "o".repeat(253) + "😀";
        saveBatch(sku, ref, 10);
        allocate(orderId, sku, 2);

        Product product = productWithBatch(ref).orElseThrow();

        assertThat(product.sku()).isEqualTo(sku);
        assertThat(product.batches().get(0).reference()).isEqualTo(ref);
        assertThat(product.batches().get(0).lineFor(orderId)).contains(new OrderLine(orderId, sku, 2));
    }

    @Test
    void identifiers_of_255_characters_are_kept_whole() {
        String sku = "S".repeat(255);
        String ref = "R".repeat(255);
        String orderId = "O".repeat(255);
        saveBatch(sku, ref, 10);
        allocate(orderId, sku, 1);

        assertThat(firstBatch(sku).reference()).isEqualTo(ref);
        assertThat(firstBatch(sku).lineFor(orderId)).isPresent();
    }

    // ---- unit of work -----------------------------------------------------------------------

    @Test
    void nothing_is_saved_until_commit() {
        try (UnitOfWork uow = storage.start()) {
            uow.products().add(new Product("DESK", List.of(new Batch("desk-1", "DESK", 5, null))));
            assertThat(product("DESK")).isEmpty();
            uow.commit();
        }
        assertThat(product("DESK")).isPresent();
    }

    @Test
    void rollback_discards_every_change() {
        saveBatch("SOFA", "sofa-1", 5);
        try (UnitOfWork uow = storage.start()) {
            uow.products().get("SOFA").orElseThrow().allocate(new OrderLine("o1", "SOFA", 2));
            uow.products().add(new Product("BED", List.of()));
            uow.rollback();
        }
        assertThat(product("BED")).isEmpty();
        assertThat(product("SOFA").orElseThrow().versionNumber()).isZero();
        assertThat(firstBatch("SOFA").allocatedQuantity()).isZero();
    }

    @Test
    void closing_without_commit_rolls_back_the_store_and_the_read_model() {
        saveBatch("RUG", "rug-1", 5);
        try (UnitOfWork uow = storage.start()) {
            uow.products().get("RUG").orElseThrow().allocate(new OrderLine("o1", "RUG", 2));
        }
        assertThat(firstBatch("RUG").lineFor("o1")).isEmpty();
        assertThat(allocationsFor("o1")).isEmpty();
    }

    @Test
    void a_unit_of_work_commits_once() {
        try (UnitOfWork uow = storage.start()) {
            uow.commit();
            assertThatThrownBy(uow::commit).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void a_stale_product_is_refused_and_nothing_of_it_is_written() {
        Assumptions.assumeTrue(oneThreadCanHoldTwoUnitsReadingOneProduct(),
                "this storage locks a product from its read to the commit; its own tests use two threads");
        saveBatch("VASE", "vase-1", 10);
        try (UnitOfWork first = storage.start();
             UnitOfWork second = storage.start()) {
            Product mine = first.products().get("VASE").orElseThrow();
            Product theirs = second.products().get("VASE").orElseThrow();
            mine.allocate(new OrderLine("o1", "VASE", 6));
            theirs.allocate(new OrderLine("o2", "VASE", 6));
            first.commit();

            assertThatThrownBy(second::commit).isInstanceOf(ConcurrencyConflict.class);
        }
        Batch batch = firstBatch("VASE");
        assertThat(batch.allocatedQuantity()).isEqualTo(6);
        assertThat(batch.allocations()).containsExactly(new OrderLine("o1", "VASE", 6));
    }

    @Test
    void two_units_creating_the_same_product_conflict() {
        try (UnitOfWork first = storage.start();
             UnitOfWork second = storage.start()) {
            first.products().add(new Product("MIRROR", List.of(new Batch("m-1", "MIRROR", 1, null))));
            second.products().add(new Product("MIRROR", List.of(new Batch("m-2", "MIRROR", 1, null))));
            first.commit();

            assertThatThrownBy(second::commit).isInstanceOf(ConcurrencyConflict.class);
        }
        assertThat(productWithBatch("m-2")).isEmpty();
    }

    @Test
    void events_of_committed_products_are_collected_once() {
        saveBatch("CLOCK", "clock-1", 1);
        try (UnitOfWork uow = storage.start()) {
            Product product = uow.products().get("CLOCK").orElseThrow();
            product.allocate(new OrderLine("o1", "CLOCK", 1));
            product.allocate(new OrderLine("o2", "CLOCK", 1));
            uow.commit();

            assertThat(uow.collectNewEvents()).containsExactly(
                    new Allocated("o1", "CLOCK", 1, "clock-1"), new OutOfStock("CLOCK"));
            assertThat(uow.collectNewEvents()).isEmpty();
        }
    }

    @Test
    void a_unit_of_work_that_did_not_commit_hands_over_no_events() {
        saveBatch("FORK", "fork-1", 1);
        try (UnitOfWork uow = storage.start()) {
            uow.products().get("FORK").orElseThrow().allocate(new OrderLine("o1", "FORK", 1));
            assertThat(uow.collectNewEvents()).isEmpty();
        }
    }

    @Test
    void concurrent_writers_of_one_product_never_over_allocate() throws Exception {
        saveBatch("HOT", "hot-1", 10);
        int writers = 8;
        CyclicBarrier together = new CyclicBarrier(writers);
        List<String> won = new CopyOnWriteArrayList<>();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String orderId = "order-" + i;
            tasks.add(() -> {
                together.await();
                try (UnitOfWork uow = storage.start()) {
                    boolean allocated = uow.products().get("HOT").orElseThrow()
                            .allocate(new OrderLine(orderId, "HOT", 3)).isPresent();
                    uow.commit();
                    if (allocated) {
                        won.add(orderId);
                    }
                } catch (ConcurrencyConflict lost) {
                    // the other writer won; nothing of this one is saved
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (Future<Void> writer : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                writer.get();   // fails on any failure but a lost race, and on a writer still running after 60 s
            }
        } finally {
            pool.shutdownNow();
        }
        Batch batch = firstBatch("HOT");
        assertThat(batch.allocatedQuantity()).isEqualTo(3 * won.size()).isLessThanOrEqualTo(10);
        assertThat(batch.allocations()).hasSize(won.size());
    }

    // ---- read model -------------------------------------------------------------------------

    @Test
    void a_commit_shows_its_allocations_in_the_read_model_at_once() {
        saveBatch("JUG", "jug-1", 10);

        allocate("o1", "JUG", 2);

        assertThat(allocationsFor("o1")).containsExactly(new AllocationView("JUG", "jug-1"));
    }

    @Test
    void a_line_moved_to_another_batch_in_one_unit_shows_only_its_new_batch() {
        saveProduct("MUG", new Batch("mug-1", "MUG", 10, null), new Batch("mug-2", "MUG", 10, null));
        allocate("o1", "MUG", 8);

        write(uow -> {
            Product product = uow.products().get("MUG").orElseThrow();
            product.changeBatchQuantity("mug-1", 5);
            product.allocate(new OrderLine("o1", "MUG", 8));
        });

        assertThat(allocationsFor("o1")).containsExactly(new AllocationView("MUG", "mug-2"));
    }

    @Test
    void the_read_model_is_empty_for_an_unknown_order() {
        assertThat(allocationsFor("nobody")).isEmpty();
    }

    @Test
    void the_read_model_drops_a_line_once_it_is_deallocated() {
        saveBatch("PAN", "pan-1", 10);
        allocate("o1", "PAN", 8);
        assertThat(allocationsFor("o1")).containsExactly(new AllocationView("PAN", "pan-1"));

        changeBatchQuantity("PAN", "pan-1", 5);

        assertThat(allocationsFor("o1")).isEmpty();
    }

    @Test
    void allocating_a_line_again_changes_nothing_and_the_read_model_still_shows_its_batch() {
        saveBatch("CUP", "cup-1", 10);
        allocate("o1", "CUP", 1);
        long version = product("CUP").orElseThrow().versionNumber();

        allocate("o1", "CUP", 1);

        assertThat(product("CUP").orElseThrow().versionNumber()).isEqualTo(version);
        assertThat(allocationsFor("o1")).containsExactly(new AllocationView("CUP", "cup-1"));
    }

    @Test
    void allocating_a_line_again_after_a_shrink_moved_it_shows_only_the_batch_that_holds_it_now() {
        saveProduct("BOWL", new Batch("bowl-1", "BOWL", 10, null), new Batch("bowl-2", "BOWL", 10, TOMORROW));
        allocate("o1", "BOWL", 8);
        shrinkAndReallocate("BOWL", "bowl-1", 5);

        allocate("o1", "BOWL", 8);

        assertThat(firstBatch("BOWL").allocations()).isEmpty();
        assertThat(allocationsFor("o1")).containsExactly(new AllocationView("BOWL", "bowl-2"));
    }

    @Test
    void the_read_model_lists_every_sku_of_an_order() {
        saveBatch("A-SKU", "a-1", 10);
        saveBatch("B-SKU", "b-1", 10);
        allocate("o1", "B-SKU", 1);
        allocate("o1", "A-SKU", 1);

        assertThat(allocationsFor("o1"))
                .containsExactly(new AllocationView("A-SKU", "a-1"), new AllocationView("B-SKU", "b-1"));
    }

    @Test
    void an_order_of_several_skus_that_loses_or_moves_a_line_shows_each_sku_where_it_is_held() {
        saveBatch("A-SKU", "a-1", 10);
        saveProduct("B-SKU", new Batch("b-1", "B-SKU", 10, null),
                new Batch("b-2", "B-SKU", 10, LocalDate.of(2030, 1, 1)));
        saveBatch("C-SKU", "c-1", 10);
        allocate("o1", "A-SKU", 1);
        allocate("o1", "B-SKU", 1);
        allocate("o1", "C-SKU", 1);

        shrinkAndReallocate("B-SKU", "b-1", 0);
        assertThat(allocationsFor("o1")).containsExactly(new AllocationView("A-SKU", "a-1"),
                new AllocationView("B-SKU", "b-2"), new AllocationView("C-SKU", "c-1"));
        changeBatchQuantity("A-SKU", "a-1", 0);
        changeBatchQuantity("C-SKU", "c-1", 0);
        assertThat(allocationsFor("o1")).containsExactly(new AllocationView("B-SKU", "b-2"));
        allocate("o1", "A-SKU", 1);   // nothing left in a-1: the order holds no line of A-SKU
        changeBatchQuantity("C-SKU", "c-1", 5);
        allocate("o1", "C-SKU", 1);
        assertThat(allocationsFor("o1"))
                .containsExactly(new AllocationView("B-SKU", "b-2"), new AllocationView("C-SKU", "c-1"));
        changeBatchQuantity("B-SKU", "b-2", 0);
        changeBatchQuantity("C-SKU", "c-1", 0);
        assertThat(allocationsFor("o1")).isEmpty();
    }

    /**
     * The read-model promises under concurrency, with nothing but the units' own writes: writers
     * allocate their lines, each twice, while another shrinks the warehouse batch step by step,
     * reallocating what it gives back to the shipment (as the ChangeBatchQuantity handler does), and a
     * reader watches. A line only ever goes from nowhere to the warehouse to the shipment, so the reader
     * must never see it go back (an older row over a newer one) nor in two batches; at the end every
     * line shows exactly the batch the store holds it in.
     */
    @Test
    void under_concurrent_allocations_repeats_and_shrinks_the_read_model_agrees_with_the_store() throws Exception {
        saveProduct("BUSY", new Batch("busy-warehouse", "BUSY", 12, null),
                new Batch("busy-shipment", "BUSY", 1000, TOMORROW));
        int writers = 3;
        int linesEach = 6;
        List<String> orders = new ArrayList<>();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < linesEach; i++) {
                mine.add("busy-" + w + "-" + i);
            }
            orders.addAll(mine);
            tasks.add(() -> {
                for (String orderId : mine) {
                    untilNoConflict(() -> allocate(orderId, "BUSY", 1));
                    untilNoConflict(() -> allocate(orderId, "BUSY", 1));
                }
                return null;
            });
        }
        tasks.add(() -> {
            for (int qty = 8; qty >= 0; qty -= 4) {
                int shrunk = qty;
                untilNoConflict(() -> shrinkAndReallocate("BUSY", "busy-warehouse", shrunk));
            }
            return null;
        });
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        tasks.add(() -> {
            List<String> path = List.of("busy-warehouse", "busy-shipment");
            Map<String, Integer> furthest = new HashMap<>();
            while (writing.get()) {
                for (String orderId : orders) {
                    List<AllocationView> rows = allocationsFor(orderId);
                    int step = rows.isEmpty() ? -1 : path.indexOf(rows.get(0).batchRef());
                    if (rows.size() > 1 || step < furthest.getOrDefault(orderId, -1)) {
                        wrong.add(orderId + " " + rows);
                    }
                    furthest.merge(orderId, step, Math::max);
                }
            }
            return null;
        });
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> running = new ArrayList<>();
            tasks.forEach(task -> running.add(pool.submit(task)));
            for (Future<Void> writer : running.subList(0, running.size() - 1)) {
                writer.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            running.get(running.size() - 1).get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        Product product = product("BUSY").orElseThrow();
        assertThat(wrong).as("lines the read model showed in two batches, or back where they had left").isEmpty();
        assertThat(product.batches().get(0).allocations()).as("the warehouse, shrunk to nothing").isEmpty();
        for (String orderId : orders) {
            String holder = product.batches().stream().filter(batch -> batch.lineFor(orderId).isPresent())
                    .map(Batch::reference).findFirst().orElseThrow();
            assertThat(allocationsFor(orderId)).as(orderId).containsExactly(new AllocationView("BUSY", holder));
        }
    }

    // ---- helpers: each write in its own committed unit of work, each read in its own unit ----

    private void saveProduct(String sku, Batch... batches) {
        write(uow -> uow.products().add(new Product(sku, new ArrayList<>(List.of(batches)))));
    }

    /** A new product holding one batch in the warehouse. */
    private void saveBatch(String sku, String ref, int qty) {
        saveProduct(sku, new Batch(ref, sku, qty, null));
    }

    /** Allocates as the Allocate handler does, the product got for the order's allocation. */
    private void allocate(String orderId, String sku, int qty) {
        write(uow -> uow.products().getForAllocation(sku, orderId).orElseThrow()
                .allocate(new OrderLine(orderId, sku, qty)));
    }

    private void changeBatchQuantity(String sku, String ref, int qty) {
        write(uow -> uow.products().get(sku).orElseThrow().changeBatchQuantity(ref, qty));
    }

    /** Shrinks a batch and allocates again, in the same unit, every line it gave back, as the handler does. */
    private void shrinkAndReallocate(String sku, String ref, int qty) {
        write(uow -> {
            Product product = uow.products().get(sku).orElseThrow();
            product.changeBatchQuantity(ref, qty);
            for (Event event : product.events()) {
                if (event instanceof Deallocated line) {
                    product.allocate(new OrderLine(line.orderId(), line.sku(), line.qty()));
                }
            }
        });
    }

    /** Runs {@code write} again for as long as it loses a race, as the message bus does. */
    private static void untilNoConflict(Runnable write) {
        while (true) {
            try {
                write.run();
                return;
            } catch (ConcurrencyConflict lost) {
                Thread.onSpinWait();
            }
        }
    }

    private void write(Consumer<UnitOfWork> change) {
        try (UnitOfWork uow = storage.start()) {
            change.accept(uow);
            uow.commit();
        }
    }

    private Optional<Product> product(String sku) {
        try (UnitOfWork uow = storage.start()) {
            return uow.products().get(sku);
        }
    }

    private Batch firstBatch(String sku) {
        return product(sku).orElseThrow().batches().get(0);
    }

    private Optional<Product> productWithBatch(String ref) {
        try (UnitOfWork uow = storage.start()) {
            return uow.products().getByBatchRef(ref);
        }
    }

    private List<AllocationView> allocationsFor(String orderId) {
        return storage.readModel().allocationsFor(orderId);
    }
}
