package dev.allocation.benchmarks;

import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.ProductRepository;
import dev.allocation.application.port.UnitOfWork;
import dev.allocation.application.port.UnitsOfWork;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.model.Product;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the {@link ConcurrencyConflict}s of a storage adapter's units of work, wherever a unit throws
 * one (a read, a commit): each is one retry of the message bus. Counts per thread too: the bus runs a
 * command, and its retries, on the caller's thread. Otherwise passes everything through.
 */
final class CountingUnitsOfWork implements UnitsOfWork {

    private final UnitsOfWork delegate;
    private final LongAdder conflicts = new LongAdder();
    private final ThreadLocal<long[]> ofThread = ThreadLocal.withInitial(() -> new long[1]);

    CountingUnitsOfWork(UnitsOfWork delegate) {
        this.delegate = delegate;
    }

    /** Conflicts seen so far. */
    long conflicts() {
        return conflicts.sum();
    }

    /** Conflicts seen so far by units of work of the calling thread (the bus runs a command on its caller's). */
    long conflictsOfThisThread() {
        return ofThread.get()[0];
    }

    @Override
    public UnitOfWork start() {
        return new CountingUnit(delegate.start());
    }

    private ConcurrencyConflict counted(ConcurrencyConflict conflict) {
        conflicts.increment();
        ofThread.get()[0]++;
        return conflict;
    }

    private final class CountingUnit implements UnitOfWork {

        private final UnitOfWork unit;
        private final ProductRepository products;

        CountingUnit(UnitOfWork unit) {
            this.unit = unit;
            this.products = new CountingRepository(unit);
        }

        @Override
        public ProductRepository products() {
            unit.products();   // the delegate's checks (a unit that is over refuses)
            return products;
        }

        @Override
        public void commit() {
            try {
                unit.commit();
            } catch (ConcurrencyConflict conflict) {
                throw counted(conflict);
            }
        }

        @Override
        public void rollback() {
            unit.rollback();
        }

        @Override
        public List<Event> collectNewEvents() {
            return unit.collectNewEvents();
        }

        @Override
        public void close() {
            unit.close();
        }
    }

    private final class CountingRepository implements ProductRepository {

        private final UnitOfWork unit;

        CountingRepository(UnitOfWork unit) {
            this.unit = unit;
        }

        @Override
        public void add(Product product) {
            unit.products().add(product);
        }

        @Override
        public Optional<Product> get(String sku) {
            try {
                return unit.products().get(sku);
            } catch (ConcurrencyConflict conflict) {
                throw counted(conflict);
            }
        }

        @Override
        public Optional<Product> getByBatchRef(String batchRef) {
            try {
                return unit.products().getByBatchRef(batchRef);
            } catch (ConcurrencyConflict conflict) {
                throw counted(conflict);
            }
        }
    }
}
