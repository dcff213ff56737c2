package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.unitofwork.AbstractRepository;
import dev.allocation.application.unitofwork.AbstractUnitOfWork;
import dev.allocation.domain.events.Event;
import dev.allocation.domain.model.Product;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work: one JDBI {@link Handle}, one READ COMMITTED transaction, opened when first used,
 * whose writes go together at commit ({@link Writes}).
 * The connection goes back to the pool as soon as the unit commits, rolls back or closes, on every
 * path. Used by one thread.
 */
final class JdbiUnitOfWork extends AbstractUnitOfWork {

    private static final Logger log = LoggerFactory.getLogger(JdbiUnitOfWork.class);

    private final Database database;
    private final JdbiOutbox outbox;
    private final JdbiProductRepository products;
    private Handle handle;

    JdbiUnitOfWork(Database database, JdbiOutbox outbox, Locking locking) {
        this.database = database;
        this.outbox = outbox;
        this.products = new JdbiProductRepository(this, locking, this::requireOpen);
    }

    @Override
    protected AbstractRepository repository() {
        return products;
    }

    @Override
    protected void save(List<Product> seen, List<Event> outgoing) {
        RuntimeException failure = null;
        try {
            if (handle != null || products.hasChanges(seen)) {
                Handle open = openHandle();
                database.writes().run(() -> {
                    Writes writes = new Writes(dialect());
                    products.save(writes, seen);
                    outbox.record(writes, outgoing, seen.stream().collect(
                            Collectors.toMap(Product::sku, Product::versionNumber, (one, other) -> other)));
                    writes.runAndCommit(open);
                });
            }
        } catch (RuntimeException e) {
            failure = dialect().translate(e);
            throw failure;
        } finally {
            release(failure);
        }
        if (!outgoing.isEmpty()) {
            outbox.committed();
        }
    }

    @Override
    protected void discard() {
        release(null);
    }

    /** Runs a read in this unit's transaction; or, once the unit is over, in a short one of its own. */
    <T> T read(Function<Handle, T> query) {
        if (isOpen()) {
            try {
                return query.apply(openHandle());
            } catch (RuntimeException e) {
                throw dialect().translate(e);
            }
        }
        return database.read(query);
    }

    Dialect dialect() {
        return database.dialect();
    }

    private Handle openHandle() {
        if (handle == null) {
            Handle opened = database.open();
            try {
                database.readCommitted(opened);
                opened.begin();
            } catch (RuntimeException e) {
                release(opened, e);
                throw e;
            }
            handle = opened;
        }
        return handle;
    }

    /** Rolls back what was not committed and gives the connection back to the pool. */
    private void release(RuntimeException failure) {
        Handle held = handle;
        handle = null;
        if (held != null) {
            release(held, failure);
        }
    }

    /** A failure to end {@code held} is added to {@code failure}, or logged when there is none. */
    private static void release(Handle held, RuntimeException failure) {
        try (held) {
            if (held.isInTransaction()) {
                held.rollback();
            }
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                log.warn("Ending a unit of work failed: {}", e.toString());
            }
        }
    }
}
