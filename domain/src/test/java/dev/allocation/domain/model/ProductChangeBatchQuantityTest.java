package dev.allocation.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.events.Deallocated;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Changing a batch's quantity deallocates its newest lines until it is no longer over-allocated. */
class ProductChangeBatchQuantityTest {

    private static final String SKU = "INDIFFERENT-TABLE";

    private final Batch batch = new Batch("batch1", SKU, 50, null);
    private final Product product = new Product(SKU, List.of(batch));

    @BeforeEach
    void allocateThreeOrders() {
        product.allocate(new OrderLine("order1", SKU, 20));
        product.allocate(new OrderLine("order2", SKU, 20));
        product.allocate(new OrderLine("order3", SKU, 10));
        product.collectEvents();
    }

    @Test
    void changing_the_quantity_changes_the_purchased_quantity() {
        product.changeBatchQuantity("batch1", 70);

        assertThat(batch.purchasedQuantity()).isEqualTo(70);
    }

    @Test
    void shrinking_a_batch_deallocates_lines_until_it_is_not_over_allocated() {
        product.changeBatchQuantity("batch1", 25);

        assertThat(batch.availableQuantity()).isEqualTo(5);
    }

    @Test
    void shrinking_a_batch_raises_one_deallocated_per_line_newest_first() {
        product.changeBatchQuantity("batch1", 25);

        assertThat(product.events()).containsExactly(
                new Deallocated("order3", SKU, 10),
                new Deallocated("order2", SKU, 20));
    }

    @Test
    void shrinking_a_batch_keeps_the_oldest_lines() {
        product.changeBatchQuantity("batch1", 25);

        assertThat(batch.allocations()).containsExactly(new OrderLine("order1", SKU, 20));
    }

    @Test
    void shrinking_a_batch_to_zero_deallocates_every_line() {
        product.changeBatchQuantity("batch1", 0);

        assertThat(batch.allocations()).isEmpty();
    }

    @Test
    void shrinking_a_batch_exactly_to_its_allocated_quantity_deallocates_nothing() {
        product.changeBatchQuantity("batch1", 60);

        product.changeBatchQuantity("batch1", 50);

        assertThat(product.events()).isEmpty();
    }

    @Test
    void shrinking_a_batch_by_one_unit_too_many_deallocates_only_the_newest_line() {
        product.changeBatchQuantity("batch1", 49);

        assertThat(product.events()).containsExactly(new Deallocated("order3", SKU, 10));
    }

    @Test
    void a_deallocated_line_can_be_allocated_again_elsewhere() {
        product.addBatch(new Batch("batch2", SKU, 100, LocalDate.of(2024, 1, 2)));
        product.changeBatchQuantity("batch1", 40);

        assertThat(product.allocate(new OrderLine("order3", SKU, 10))).contains("batch2");
    }

    @Test
    void changing_the_quantity_of_an_unknown_batch_is_refused_naming_it() {
        assertThatThrownBy(() -> product.changeBatchQuantity("no-such-batch", 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-batch");
    }

    @Test
    void a_negative_quantity_is_refused() {
        assertThatThrownBy(() -> product.changeBatchQuantity("batch1", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qty");
    }
}
