package dev.allocation.adapters.memory;

import dev.allocation.application.port.ProductRepository;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.model.Product;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A unit of work on {@link InMemoryStorage}: tracks what it loads and saves it all at commit. */
final class InMemoryUnitOfWork implements UnitOfWork, ProductRepository {

    private final InMemoryStorage storage;
    private final Map<String, InMemoryStorage.Tracked> seen = new LinkedHashMap<>();
    private final List<Event> committedEvents = new ArrayList<>();
    private boolean finished;

    InMemoryUnitOfWork(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public ProductRepository products() {
        requireOpen();
        return this;
    }

    @Override
    public void add(Product product) {
        requireOpen();
        Objects.requireNonNull(product, "product must not be null");
        if (seen.containsKey(product.sku())) {
            throw new IllegalArgumentException("Product " + product.sku() + " is in this unit of work already");
        }
        seen.put(product.sku(), new InMemoryStorage.Tracked(product, null, Map.of()));
    }

    @Override
    public Optional<Product> get(String sku) {
        requireOpen();
        Objects.requireNonNull(sku, "sku must not be null");
        InMemoryStorage.Tracked known = seen.get(sku);
        if (known != null) {
            return Optional.of(known.product());
        }
        return storage.load(sku).map(loaded -> {
            seen.put(sku, new InMemoryStorage.Tracked(loaded.product(), loaded.version(), loaded.batches()));
            return loaded.product();
        });
    }

    @Override
    public Optional<Product> getByBatchRef(String batchRef) {
        requireOpen();
        Objects.requireNonNull(batchRef, "batchRef must not be null");
        for (InMemoryStorage.Tracked known : seen.values()) {
            if (known.product().batch(batchRef).isPresent()) {
                return Optional.of(known.product());
            }
        }
        return storage.skuOfBatch(batchRef).flatMap(this::get);
    }

    @Override
    public void commit() {
        requireOpen();
        finished = true;
        List<InMemoryStorage.Tracked> tracked = List.copyOf(seen.values());
        storage.commit(tracked);
        for (InMemoryStorage.Tracked product : tracked) {
            committedEvents.addAll(product.product().collectEvents());
        }
    }

    @Override
    public void rollback() {
        finished = true;
    }

    @Override
    public List<Event> collectNewEvents() {
        List<Event> events = List.copyOf(committedEvents);
        committedEvents.clear();
        return events;
    }

    @Override
    public void close() {
        finished = true;
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("This unit of work has committed, rolled back or closed already");
        }
    }
}
