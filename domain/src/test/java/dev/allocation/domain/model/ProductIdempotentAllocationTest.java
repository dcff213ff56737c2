package dev.allocation.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.events.Allocated;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Allocate is idempotent per (orderId, sku): a repeat changes nothing, another quantity is refused. */
class ProductIdempotentAllocationTest {

    private static final String SKU = "LOUNGE-SOFA";

    private final Batch warehouse = new Batch("warehouse", SKU, 10, null);
    private final Batch shipment = new Batch("shipment", SKU, 100, LocalDate.of(2024, 1, 2));
    private final Product product = new Product(SKU, List.of(warehouse, shipment));

    @Test
    void allocating_the_same_line_again_returns_the_batch_that_holds_it() {
        OrderLine line = new OrderLine("order1", SKU, 5);
        product.allocate(line);

        assertThat(product.allocate(line)).contains("warehouse");
    }

    @Test
    void allocating_the_same_line_again_raises_no_second_allocated_event() {
        OrderLine line = new OrderLine("order1", SKU, 5);
        product.allocate(line);

        product.allocate(line);

        assertThat(product.events()).containsExactly(new Allocated("order1", SKU, 5, "warehouse"));
    }

    @Test
    void allocating_the_same_line_again_takes_no_more_stock() {
        OrderLine line = new OrderLine("order1", SKU, 5);
        product.allocate(line);

        product.allocate(line);

        assertThat(warehouse.availableQuantity() + shipment.availableQuantity()).isEqualTo(105);
    }

    @Test
    void a_repeat_returns_the_holding_batch_even_when_a_preferred_batch_has_room_now() {
        OrderLine line = new OrderLine("order1", SKU, 8);
        product.allocate(new OrderLine("order0", SKU, 5));
        product.allocate(line);
        product.changeBatchQuantity("warehouse", 20);

        assertThat(product.allocate(line)).contains("shipment");
    }

    @Test
    void the_same_order_and_sku_with_another_quantity_is_refused() {
        product.allocate(new OrderLine("order1", SKU, 5));

        assertThatThrownBy(() -> product.allocate(new OrderLine("order1", SKU, 3)))
                .isInstanceOf(OrderLineConflict.class);
    }

    @Test
    void the_refusal_names_what_was_asked_and_keeps_the_line_held_out_of_its_message() {
        OrderLine held = new OrderLine("order1", SKU, 5);
        product.allocate(held);

        assertThatThrownBy(() -> product.allocate(new OrderLine("order1", SKU, 3)))
                .hasMessageContainingAll("order1", SKU, "3").hasMessageNotContaining("5")
                .hasMessageNotContaining("warehouse")
                .satisfies(refusal -> assertThat(((OrderLineConflict) refusal).held()).isEqualTo(held));
    }

    @Test
    void a_refused_conflicting_line_changes_nothing() {
        product.allocate(new OrderLine("order1", SKU, 5));
        long version = product.versionNumber();

        try {
            product.allocate(new OrderLine("order1", SKU, 3));
        } catch (OrderLineConflict expected) {
            // the refusal is what this test provokes
        }

        assertThat(product.versionNumber()).isEqualTo(version);
    }

    @Test
    void another_order_for_the_same_sku_is_allocated_separately() {
        product.allocate(new OrderLine("order1", SKU, 5));

        product.allocate(new OrderLine("order2", SKU, 5));

        assertThat(warehouse.availableQuantity()).isZero();
    }
}
