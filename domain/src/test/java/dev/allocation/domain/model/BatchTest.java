package dev.allocation.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The book's batch tests: how a batch takes and gives back order lines. */
class BatchTest {

    private static Batch batchOf(String sku, int qty) {
        return new Batch("batch-001", sku, qty, LocalDate.now());
    }

    private static OrderLine lineOf(String sku, int qty) {
        return new OrderLine("order-123", sku, qty);
    }

    @Test
    void allocating_to_a_batch_reduces_the_available_quantity() {
        Batch batch = batchOf("SMALL-TABLE", 20);

        batch.allocate(lineOf("SMALL-TABLE", 2));

        assertThat(batch.availableQuantity()).isEqualTo(18);
    }

    @Test
    void can_allocate_if_available_greater_than_required() {
        assertThat(batchOf("ELEGANT-LAMP", 20).canAllocate(lineOf("ELEGANT-LAMP", 2))).isTrue();
    }

    @Test
    void can_allocate_if_available_equal_to_required() {
        assertThat(batchOf("ELEGANT-LAMP", 2).canAllocate(lineOf("ELEGANT-LAMP", 2))).isTrue();
    }

    @Test
    void cannot_allocate_if_available_smaller_than_required() {
        assertThat(batchOf("ELEGANT-LAMP", 2).canAllocate(lineOf("ELEGANT-LAMP", 20))).isFalse();
    }

    @Test
    void cannot_allocate_if_skus_do_not_match() {
        assertThat(batchOf("UNCOMFORTABLE-CHAIR", 100).canAllocate(lineOf("EXPENSIVE-TOASTER", 10))).isFalse();
    }

    @Test
    void allocating_a_line_the_batch_cannot_take_changes_nothing() {
        Batch batch = batchOf("ELEGANT-LAMP", 2);

        batch.allocate(lineOf("ELEGANT-LAMP", 20));

        assertThat(batch.availableQuantity()).isEqualTo(2);
    }

    @Test
    void allocation_is_idempotent() {
        Batch batch = batchOf("ANGULAR-DESK", 20);
        OrderLine line = lineOf("ANGULAR-DESK", 2);

        batch.allocate(line);
        batch.allocate(line);

        assertThat(batch.availableQuantity()).isEqualTo(18);
        assertThat(batch.allocations()).containsExactly(line);
    }

    @Test
    void a_batch_holds_one_line_per_order() {
        Batch batch = batchOf("ANGULAR-DESK", 20);
        OrderLine first = lineOf("ANGULAR-DESK", 2);

        batch.allocate(first);
        batch.allocate(lineOf("ANGULAR-DESK", 5));

        assertThat(batch.allocations()).containsExactly(first);
    }

    @Test
    void can_only_deallocate_allocated_lines() {
        Batch batch = batchOf("DECORATIVE-TRINKET", 20);

        batch.deallocate(lineOf("DECORATIVE-TRINKET", 2));

        assertThat(batch.availableQuantity()).isEqualTo(20);
    }

    @Test
    void deallocating_an_allocated_line_gives_its_quantity_back() {
        Batch batch = batchOf("DECORATIVE-TRINKET", 20);
        OrderLine line = lineOf("DECORATIVE-TRINKET", 2);
        batch.allocate(line);

        batch.deallocate(line);

        assertThat(batch.availableQuantity()).isEqualTo(20);
    }

    @Test
    void deallocating_a_line_the_batch_does_not_hold_is_a_no_op() {
        Batch batch = batchOf("DECORATIVE-TRINKET", 20);
        OrderLine held = new OrderLine("order-1", "DECORATIVE-TRINKET", 2);
        batch.allocate(held);

        batch.deallocate(new OrderLine("order-2", "DECORATIVE-TRINKET", 3));

        assertThat(batch.allocations()).containsExactly(held);
    }

    @Test
    void deallocating_another_quantity_of_a_held_order_is_a_no_op() {
        Batch batch = batchOf("DECORATIVE-TRINKET", 20);
        batch.allocate(lineOf("DECORATIVE-TRINKET", 2));

        batch.deallocate(lineOf("DECORATIVE-TRINKET", 5));

        assertThat(batch.allocatedQuantity()).isEqualTo(2);
    }

    @Test
    void a_batch_without_eta_is_in_the_warehouse() {
        assertThat(new Batch("in-stock", "RETRO-CLOCK", 10, null).eta()).isEmpty();
    }
}
