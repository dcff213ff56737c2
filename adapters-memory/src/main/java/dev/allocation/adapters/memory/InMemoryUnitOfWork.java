package dev.allocation.adapters.memory;

import dev.allocation.application.unitofwork.AbstractRepository;
import dev.allocation.application.unitofwork.AbstractUnitOfWork;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.model.Product;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A unit of work on {@link InMemoryStorage}: loads products from its rows and saves them all at commit. */
final class InMemoryUnitOfWork extends AbstractUnitOfWork {

    private final InMemoryStorage storage;
    /** How each product was loaded; a product the unit added is not here. Sized for one: the usual unit. */
    private final Map<Product, InMemoryStorage.Loaded> loaded = new IdentityHashMap<>(2);
    private final AbstractRepository products = new AbstractRepository(this::requireOpen) {
        @Override
        protected Optional<Product> load(String sku) {
            return storage.load(sku).map(row -> {
                loaded.put(row.product(), row);
                return row.product();
            });
        }

        @Override
        protected Optional<Product> loadByBatchRef(String batchRef) {
            return storage.skuOfBatch(batchRef).flatMap(this::load);
        }
    };

    InMemoryUnitOfWork(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    protected AbstractRepository repository() {
        return products;
    }

    @Override
    protected void save(List<Product> seen, List<Event> outgoing) {
        storage.commit(seen, loaded, outgoing);
    }

    @Override
    protected void discard() {
        // nothing to undo: a unit's changes live in its own products until it commits
    }
}
