package dev.allocation.application.port;

import dev.allocation.domain.model.Product;
import java.util.Optional;

/**
 * Where products live: the book's repository, one per unit of work. Products it returns are tracked
 * by their unit of work, which saves them and collects their events on commit.
 */
public interface ProductRepository {

    /** Adds a product never stored before; it is saved when the unit of work commits. */
    void add(Product product);

    /** The product of this sku, if there is one. */
    Optional<Product> get(String sku);

    /** The product holding the batch with this reference, if there is one. */
    Optional<Product> getByBatchRef(String batchRef);

    /**
     * The product of this sku, as {@link #get} gives it, loaded to allocate the line of order
     * {@code orderId}: a store may read whether the product holds that line in the same query as the
     * product, instead of in one more when the domain asks. By default, {@link #get}.
     */
    default Optional<Product> getForAllocation(String sku, String orderId) {
        return get(sku);
    }
}
