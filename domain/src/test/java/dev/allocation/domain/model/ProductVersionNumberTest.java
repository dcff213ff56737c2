package dev.allocation.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every change to a product bumps its version by exactly one (an allocation: {@code ProductTest}); an
 * attempt that changes nothing does not.
 */
class ProductVersionNumberTest {

    private static final String SKU = "SCANDI-PEN";

    private static Product productAtVersion(long version, int batchQuantity) {
        return new Product(SKU, List.of(new Batch("b1", SKU, batchQuantity, null)), version);
    }

    @Test
    void adding_a_batch_bumps_the_version_by_one() {
        Product product = productAtVersion(3, 10);

        product.addBatch(new Batch("b2", SKU, 10, null));

        assertThat(product.versionNumber()).isEqualTo(4);
    }

    @Test
    void changing_a_batch_quantity_bumps_the_version_by_one() {
        Product product = productAtVersion(3, 10);

        product.changeBatchQuantity("b1", 20);

        assertThat(product.versionNumber()).isEqualTo(4);
    }

    @Test
    void shrinking_a_batch_that_loses_several_lines_still_bumps_the_version_by_one() {
        Product product = productAtVersion(0, 10);
        product.allocate(new OrderLine("o1", SKU, 4));
        product.allocate(new OrderLine("o2", SKU, 4));

        product.changeBatchQuantity("b1", 1);

        assertThat(product.versionNumber()).isEqualTo(3);
    }

    @Test
    void running_out_of_stock_leaves_the_version_as_it_was() {
        Product product = productAtVersion(3, 10);

        product.allocate(new OrderLine("o1", SKU, 11));

        assertThat(product.versionNumber()).isEqualTo(3);
    }

    @Test
    void repeating_an_allocation_leaves_the_version_as_it_was() {
        Product product = productAtVersion(3, 10);
        OrderLine line = new OrderLine("o1", SKU, 1);
        product.allocate(line);

        product.allocate(line);

        assertThat(product.versionNumber()).isEqualTo(4);
    }

    @Test
    void changing_a_batch_to_the_quantity_it_has_leaves_the_version_as_it_was() {
        Product product = productAtVersion(3, 10);

        product.changeBatchQuantity("b1", 10);

        assertThat(product.versionNumber()).isEqualTo(3);
    }
}
