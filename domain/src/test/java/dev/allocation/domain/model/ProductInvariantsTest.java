package dev.allocation.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.OutOfStock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a product guarantees about its batches and its events, whoever uses it. */
class ProductInvariantsTest {

    private static final String SKU = "BLUE-VASE";

    @Test
    void a_product_holds_the_very_batches_it_is_given() {
        Batch first = new Batch("b1", SKU, 10, null);
        Batch second = new Batch("b2", SKU, 10, null);

        Product product = new Product(SKU, List.of(first, second));

        assertThat(product.batches()).satisfiesExactly(
                batch -> assertThat(batch).isSameAs(first),
                batch -> assertThat(batch).isSameAs(second));
    }

    @Test
    void allocating_through_the_product_changes_the_batch_the_caller_holds() {
        Batch batch = new Batch("b1", SKU, 10, null);
        Product product = new Product(SKU, List.of(batch));

        product.allocate(new OrderLine("o1", SKU, 3));

        assertThat(batch.availableQuantity()).isEqualTo(7);
    }

    @Test
    void a_product_does_not_follow_later_changes_to_the_list_it_was_given() {
        List<Batch> given = new ArrayList<>(List.of(new Batch("b1", SKU, 10, null)));
        Product product = new Product(SKU, given);

        given.add(new Batch("b2", SKU, 10, null));

        assertThat(product.batches()).hasSize(1);
    }

    @Test
    void the_batches_of_a_product_cannot_be_changed_from_outside() {
        Product product = new Product(SKU, List.of(new Batch("b1", SKU, 10, null)));

        assertThatThrownBy(() -> product.batches().add(new Batch("b2", SKU, 10, null)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void events_come_oldest_first() {
        Product product = new Product(SKU, List.of(new Batch("b1", SKU, 10, null)));

        product.allocate(new OrderLine("o1", SKU, 10));
        product.allocate(new OrderLine("o2", SKU, 1));

        assertThat(product.events()).containsExactly(
                new Allocated("o1", SKU, 10, "b1"),
                new OutOfStock(SKU));
    }

    @Test
    void reading_events_does_not_clear_them() {
        Product product = new Product(SKU, List.of(new Batch("b1", SKU, 10, null)));
        product.allocate(new OrderLine("o1", SKU, 1));

        product.events();

        assertThat(product.events()).hasSize(1);
    }

    @Test
    void collecting_events_hands_them_over_oldest_first() {
        Product product = new Product(SKU, List.of(new Batch("b1", SKU, 10, null)));
        product.allocate(new OrderLine("o1", SKU, 10));
        product.allocate(new OrderLine("o2", SKU, 1));

        assertThat(product.collectEvents()).containsExactly(
                new Allocated("o1", SKU, 10, "b1"),
                new OutOfStock(SKU));
    }

    @Test
    void collecting_events_clears_them() {
        Product product = new Product(SKU, List.of(new Batch("b1", SKU, 10, null)));
        product.allocate(new OrderLine("o1", SKU, 1));

        product.collectEvents();

        assertThat(product.events()).isEmpty();
    }

    @Test
    void a_line_for_another_sku_is_refused() {
        Product product = new Product(SKU, List.of(new Batch("b1", SKU, 10, null)));

        assertThatThrownBy(() -> product.allocate(new OrderLine("o1", "RED-VASE", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RED-VASE");
    }

    @Test
    void a_product_cannot_be_built_with_a_batch_of_another_sku() {
        List<Batch> batches = List.of(new Batch("b1", "RED-VASE", 10, null));

        assertThatThrownBy(() -> new Product(SKU, batches))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RED-VASE");
    }

    @Test
    void a_batch_of_another_sku_cannot_be_added() {
        Product product = new Product(SKU, List.of());

        assertThatThrownBy(() -> product.addBatch(new Batch("b1", "RED-VASE", 10, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RED-VASE");
    }

    @Test
    void a_product_cannot_be_built_with_two_batches_of_one_reference() {
        List<Batch> batches = List.of(new Batch("b1", SKU, 10, null), new Batch("b1", SKU, 5, null));

        assertThatThrownBy(() -> new Product(SKU, batches))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b1");
    }

    @Test
    void a_batch_reference_the_product_has_already_cannot_be_added() {
        Product product = new Product(SKU, List.of(new Batch("b1", SKU, 10, null)));

        assertThatThrownBy(() -> product.addBatch(new Batch("b1", SKU, 5, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b1");
    }

    @Test
    void a_refused_batch_is_not_added() {
        Product product = new Product(SKU, List.of(new Batch("b1", SKU, 10, null)));

        try {
            product.addBatch(new Batch("b1", SKU, 5, null));
        } catch (IllegalArgumentException expected) {
            // the refusal is what this test provokes
        }

        assertThat(product.batches()).hasSize(1);
    }

    @Test
    void an_added_batch_takes_part_in_allocation() {
        Product product = new Product(SKU, List.of());
        product.addBatch(new Batch("b1", SKU, 10, null));

        assertThat(product.allocate(new OrderLine("o1", SKU, 1))).contains("b1");
    }

    @Test
    void a_negative_version_number_is_refused() {
        assertThatThrownBy(() -> new Product(SKU, List.of(), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("versionNumber");
    }
}
