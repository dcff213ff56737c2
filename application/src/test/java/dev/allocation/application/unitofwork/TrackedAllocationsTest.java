package dev.allocation.application.unitofwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.model.Batch;
import dev.allocation.domain.model.OrderLine;
import dev.allocation.domain.model.OrderLineConflict;
import dev.allocation.domain.model.Product;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch a store kept, holding {@link TrackedAllocations}: it reads its stored lines only when a change
 * needs them, and the lines remember what changed since they were loaded.
 */
class TrackedAllocationsTest {

    private static final String SKU = "VELVET-CUSHION";
    private static final String REF = "batch1";

    private final OrderLine storedOne = new OrderLine("stored-1", SKU, 3);
    private final OrderLine storedTwo = new OrderLine("stored-2", SKU, 4);
    private final FakeStoredLines lines = new FakeStoredLines().with(REF, storedOne, storedTwo);
    private TrackedAllocations tracked;

    private Batch restored() {
        return restored(lines.storedQuantity(REF));
    }

    private Batch restored(int storedQuantity) {
        tracked = new TrackedAllocations(REF, storedQuantity, lines);
        return new Batch(REF, SKU, 20, null, tracked);
    }

    @Test
    void a_negative_stored_quantity_is_refused() {
        assertThatThrownBy(() -> new TrackedAllocations(REF, -1, lines))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storedQuantity");
    }

    @Test
    void the_allocated_quantity_comes_from_the_stored_value() {
        Batch batch = restored(12);

        assertThat(batch.availableQuantity()).isEqualTo(8);
    }

    @Test
    void restoring_a_batch_reads_no_line() {
        restored();

        assertThat(lines.findCalls + lines.allCalls).isZero();
    }

    @Test
    void a_restored_batch_finds_a_stored_line() {
        assertThat(restored().lineFor("stored-2")).contains(storedTwo);
    }

    @Test
    void a_restored_batch_finds_no_line_for_an_order_it_does_not_hold() {
        assertThat(restored().lineFor("unknown")).isEmpty();
    }

    @Test
    void deallocating_a_stored_line_shows_in_deallocated_since_loaded() {
        Batch batch = restored();

        batch.deallocate(storedOne);

        assertThat(tracked.removed()).containsExactly(storedOne);
    }

    @Test
    void deallocating_a_stored_line_gives_its_quantity_back() {
        Batch batch = restored();

        batch.deallocate(storedOne);

        assertThat(batch.availableQuantity()).isEqualTo(20 - 4);
    }

    @Test
    void a_deallocated_stored_line_is_no_longer_found() {
        Batch batch = restored();

        batch.deallocate(storedOne);

        assertThat(batch.lineFor("stored-1")).isEmpty();
    }

    @Test
    void allocating_a_line_shows_in_allocated_since_loaded() {
        Batch batch = restored();
        OrderLine fresh = new OrderLine("fresh", SKU, 5);

        batch.allocate(fresh);

        assertThat(tracked.added()).containsExactly(fresh);
    }

    @Test
    void allocating_a_stored_line_again_records_nothing() {
        Batch batch = restored();

        batch.allocate(storedOne);

        assertThat(tracked.added()).isEmpty();
    }

    @Test
    void allocating_another_quantity_of_a_stored_order_records_nothing() {
        Batch batch = restored();

        batch.allocate(new OrderLine("stored-1", SKU, 6));

        assertThat(tracked.added()).isEmpty();
    }

    @Test
    void deallocating_another_quantity_of_a_stored_order_records_nothing() {
        Batch batch = restored();

        batch.deallocate(new OrderLine("stored-1", SKU, 9));

        assertThat(tracked.removed()).isEmpty();
    }

    @Test
    void deallocating_a_line_the_batch_does_not_hold_records_nothing() {
        Batch batch = restored();

        batch.deallocate(new OrderLine("unknown", SKU, 1));

        assertThat(tracked.removed()).isEmpty();
    }

    @Test
    void a_freshly_loaded_batch_has_no_change_recorded() {
        Batch batch = restored();

        assertThat(List.of(tracked.added(), tracked.removed()))
                .allSatisfy(changes -> assertThat(changes).isEmpty());
    }

    @Test
    void deallocating_then_reallocating_a_stored_line_leaves_no_change_recorded() {
        Batch batch = restored();

        batch.deallocate(storedOne);
        batch.allocate(storedOne);

        assertThat(List.of(tracked.added(), tracked.removed()))
                .allSatisfy(changes -> assertThat(changes).isEmpty());
    }

    @Test
    void deallocating_then_reallocating_a_stored_line_restores_the_allocated_quantity() {
        Batch batch = restored();

        batch.deallocate(storedOne);
        batch.allocate(storedOne);

        assertThat(batch.allocatedQuantity()).isEqualTo(7);
    }

    @Test
    void allocating_then_deallocating_a_new_line_leaves_no_change_recorded() {
        Batch batch = restored();
        OrderLine fresh = new OrderLine("fresh", SKU, 5);

        batch.allocate(fresh);
        batch.deallocate(fresh);

        assertThat(List.of(tracked.added(), tracked.removed()))
                .allSatisfy(changes -> assertThat(changes).isEmpty());
    }

    @Test
    void a_stored_order_reallocated_with_another_quantity_records_both_changes() {
        Batch batch = restored();
        OrderLine changed = new OrderLine("stored-1", SKU, 6);

        batch.deallocate(storedOne);
        batch.allocate(changed);

        assertThat(List.of(tracked.removed(), tracked.added()))
                .containsExactly(List.of(storedOne), List.of(changed));
    }

    @Test
    void allocations_merge_stored_and_new_lines_oldest_first() {
        Batch batch = restored();
        OrderLine fresh = new OrderLine("fresh", SKU, 5);
        OrderLine fresher = new OrderLine("fresher", SKU, 1);

        batch.allocate(fresh);
        batch.allocate(fresher);

        assertThat(batch.allocations()).containsExactly(storedOne, storedTwo, fresh, fresher);
    }

    @Test
    void allocations_leave_out_deallocated_stored_lines() {
        Batch batch = restored();

        batch.deallocate(storedOne);

        assertThat(batch.allocations()).containsExactly(storedTwo);
    }

    @Test
    void allocating_through_a_product_does_not_load_all_lines() {
        Batch batch = restored();
        Product product = new Product(SKU, List.of(batch), 5);

        product.allocate(new OrderLine("fresh", SKU, 5));

        assertThat(lines.allCalls).isZero();
    }

    @Test
    void allocating_through_a_product_looks_up_only_the_order_being_allocated() {
        Batch batch = restored();
        Product product = new Product(SKU, List.of(batch), 5);

        product.allocate(new OrderLine("fresh", SKU, 5));

        assertThat(lines.findCalls).isPositive();
    }

    @Test
    void repeating_a_stored_allocation_through_a_product_does_not_load_all_lines() {
        Product product = new Product(SKU, List.of(restored()), 5);

        product.allocate(storedTwo);

        assertThat(lines.allCalls).isZero();
    }

    @Test
    void repeating_a_stored_allocation_through_a_product_returns_its_batch() {
        Product product = new Product(SKU, List.of(restored()), 5);

        assertThat(product.allocate(storedTwo)).contains(REF);
    }

    @Test
    void a_stored_order_with_another_quantity_is_refused_through_a_product() {
        Product product = new Product(SKU, List.of(restored()), 5);

        assertThatThrownBy(() -> product.allocate(new OrderLine("stored-2", SKU, 9)))
                .isInstanceOf(OrderLineConflict.class);
    }

    @Test
    void shrinking_a_restored_batch_deallocates_its_newest_stored_line_first() {
        Batch batch = restored();
        Product product = new Product(SKU, List.of(batch), 5);

        product.changeBatchQuantity(REF, 5);

        assertThat(tracked.removed()).containsExactly(storedTwo);
    }

    @Test
    void shrinking_a_restored_batch_deallocates_new_lines_before_stored_ones() {
        Batch batch = restored();
        Product product = new Product(SKU, List.of(batch), 5);
        product.allocate(new OrderLine("fresh", SKU, 5));

        product.changeBatchQuantity(REF, 7);

        assertThat(batch.allocations()).containsExactly(storedOne, storedTwo);
    }
}
