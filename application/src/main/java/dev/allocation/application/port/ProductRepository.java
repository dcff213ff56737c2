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
}
