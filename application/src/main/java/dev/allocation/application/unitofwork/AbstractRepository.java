package dev.allocation.application.unitofwork;

import dev.allocation.application.port.ProductRepository;
import dev.allocation.domain.model.Product;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The book's {@code AbstractRepository}: the products one unit of work has seen, each loaded at most
 * once (an identity map), so that the unit can save them and collect their events. A storage adapter
 * says only how to load a product.
 */
public abstract class AbstractRepository implements ProductRepository {

    private final Map<String, Product> seen = new LinkedHashMap<>();
    private final Runnable requireOpen;

    /** A repository of a unit of work; {@code requireOpen} refuses its use once the unit is over. */
    protected AbstractRepository(Runnable requireOpen) {
        this.requireOpen = Objects.requireNonNull(requireOpen, "requireOpen must not be null");
    }

    @Override
    public final void add(Product product) {
        requireOpen.run();
        if (seen.putIfAbsent(product.sku(), product) != null) {
            throw new IllegalArgumentException("Product " + product.sku() + " is in this unit of work already");
        }
    }

    @Override
    public final Optional<Product> get(String sku) {
        requireOpen.run();
        Product known = seen.get(Objects.requireNonNull(sku, "sku must not be null"));
        return known != null ? Optional.of(known) : load(sku).map(this::track);
    }

    @Override
    public final Optional<Product> getForAllocation(String sku, String orderId) {
        requireOpen.run();
        Objects.requireNonNull(orderId, "orderId must not be null");
        Product known = seen.get(Objects.requireNonNull(sku, "sku must not be null"));
        return known != null ? Optional.of(known) : load(sku, orderId).map(this::track);
    }

    @Override
    public final Optional<Product> getByBatchRef(String batchRef) {
        requireOpen.run();
        Objects.requireNonNull(batchRef, "batchRef must not be null");
        return seen.values().stream().filter(known -> known.batch(batchRef).isPresent()).findFirst()
                .or(() -> loadByBatchRef(batchRef).map(this::track));
    }

    /** Every product seen, added or loaded, in the order first seen. */
    final Collection<Product> seen() {
        return Collections.unmodifiableCollection(seen.values());
    }

    /** The product of this sku as stored now, if there is one. */
    protected abstract Optional<Product> load(String sku);

    /**
     * The product of this sku as stored now, to allocate the line of {@code orderId}: a store that can
     * read what the product holds for that order along with it overrides this. By default, {@link #load(String)}.
     */
    protected Optional<Product> load(String sku, String orderId) {
        return load(sku);
    }

    /** The product holding the batch with this reference as stored now, if there is one. */
    protected abstract Optional<Product> loadByBatchRef(String batchRef);

    /** The product this unit has seen under that sku already (the one it goes on using), else this one. */
    private Product track(Product loaded) {
        return seen.computeIfAbsent(loaded.sku(), sku -> loaded);
    }
}
