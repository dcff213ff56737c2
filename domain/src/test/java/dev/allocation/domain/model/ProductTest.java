package dev.allocation.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.OutOfStock;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The book's product tests: which batch an order line goes to, and what the product says about it. */
class ProductTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 1, 1);
    private static final LocalDate TOMORROW = TODAY.plusDays(1);
    private static final LocalDate LATER = TODAY.plusDays(10);

    @Test
    void prefers_warehouse_batches_to_shipments() {
        Batch inStock = new Batch("in-stock-batch", "RETRO-CLOCK", 100, null);
        Batch shipment = new Batch("shipment-batch", "RETRO-CLOCK", 100, TOMORROW);
        Product product = new Product("RETRO-CLOCK", List.of(shipment, inStock));

        product.allocate(new OrderLine("oref", "RETRO-CLOCK", 10));

        assertThat(inStock.availableQuantity()).isEqualTo(90);
        assertThat(shipment.availableQuantity()).isEqualTo(100);
    }

    @Test
    void prefers_earlier_batches() {
        Batch earliest = new Batch("speedy-batch", "MINIMALIST-SPOON", 100, TODAY);
        Batch medium = new Batch("normal-batch", "MINIMALIST-SPOON", 100, TOMORROW);
        Batch latest = new Batch("slow-batch", "MINIMALIST-SPOON", 100, LATER);
        Product product = new Product("MINIMALIST-SPOON", List.of(latest, medium, earliest));

        product.allocate(new OrderLine("order1", "MINIMALIST-SPOON", 10));

        assertThat(earliest.availableQuantity()).isEqualTo(90);
        assertThat(medium.availableQuantity()).isEqualTo(100);
        assertThat(latest.availableQuantity()).isEqualTo(100);
    }

    @Test
    void falls_back_to_a_shipment_when_the_warehouse_cannot_take_the_line() {
        Batch inStock = new Batch("in-stock-batch", "RETRO-CLOCK", 5, null);
        Batch shipment = new Batch("shipment-batch", "RETRO-CLOCK", 100, TOMORROW);
        Product product = new Product("RETRO-CLOCK", List.of(inStock, shipment));

        assertThat(product.allocate(new OrderLine("oref", "RETRO-CLOCK", 10))).contains("shipment-batch");
    }

    @Test
    void returns_allocated_batch_ref() {
        Batch inStock = new Batch("in-stock-batch-ref", "HIGHBROW-POSTER", 100, null);
        Batch shipment = new Batch("shipment-batch-ref", "HIGHBROW-POSTER", 100, TOMORROW);
        Product product = new Product("HIGHBROW-POSTER", List.of(inStock, shipment));

        assertThat(product.allocate(new OrderLine("oref", "HIGHBROW-POSTER", 10))).contains("in-stock-batch-ref");
    }

    @Test
    void records_out_of_stock_event_if_cannot_allocate() {
        Product product = new Product("SMALL-FORK", List.of(new Batch("batch1", "SMALL-FORK", 10, TODAY)));
        product.allocate(new OrderLine("order1", "SMALL-FORK", 10));

        product.allocate(new OrderLine("order2", "SMALL-FORK", 1));

        assertThat(product.events()).last().isEqualTo(new OutOfStock("SMALL-FORK"));
    }

    @Test
    void returns_no_batch_ref_if_cannot_allocate() {
        Product product = new Product("SMALL-FORK", List.of(new Batch("batch1", "SMALL-FORK", 10, TODAY)));

        assertThat(product.allocate(new OrderLine("order1", "SMALL-FORK", 11))).isEmpty();
    }

    @Test
    void increments_version_number() {
        Product product = new Product("SCANDI-PEN",
                List.of(new Batch("b1", "SCANDI-PEN", 100, null)), 7);

        product.allocate(new OrderLine("oref", "SCANDI-PEN", 10));

        assertThat(product.versionNumber()).isEqualTo(8);
    }

    @Test
    void raises_an_allocated_event_naming_the_chosen_batch() {
        Product product = new Product("SCANDI-PEN", List.of(new Batch("b1", "SCANDI-PEN", 100, null)));

        product.allocate(new OrderLine("oref", "SCANDI-PEN", 10));

        assertThat(product.events()).containsExactly(new Allocated("oref", "SCANDI-PEN", 10, "b1"));
    }

    @Test
    void a_new_product_starts_at_version_zero() {
        assertThat(new Product("SCANDI-PEN", List.of()).versionNumber()).isZero();
    }
}
