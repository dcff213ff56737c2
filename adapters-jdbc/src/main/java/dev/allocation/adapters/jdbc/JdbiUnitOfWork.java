package dev.allocation.adapters.jdbc;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.port.AbstractRepository;
import dev.allocation.application.port.AbstractUnitOfWork;
import dev.allocation.domain.model.Product;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work: one JDBI {@link Handle}, one READ COMMITTED transaction, opened when first used.
 * The connection goes back to the pool as soon as the unit commits, rolls back or closes, on every
 * path. Used by one thread.
 */
final class JdbiUnitOfWork extends AbstractUnitOfWork {

    private static final Logger log = LoggerFactory.getLogger(JdbiUnitOfWork.class);

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ReadCommitted readCommitted;
    private final SerialWrites writes;
    private final JdbiProductRepository products;
    private Handle handle;

    JdbiUnitOfWork(Jdbi jdbi, Dialect dialect, ReadCommitted readCommitted, Locking locking, SerialWrites writes) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.dialect = dialect;
        this.readCommitted = readCommitted;
        this.products = new JdbiProductRepository(this, locking, this::requireOpen);
    }

    @Override
    protected AbstractRepository repository() {
        return products;
    }

    @Override
    protected void save(List<Product> seen) {
        try {
            if (handle != null || products.hasChanges(seen)) {
                Handle open = openHandle();
                writes.run(() -> {
                    products.save(open, seen);
                    open.commit();
                    return null;
                });
            }
        } catch (RuntimeException e) {
            RuntimeException failure = Failures.translate(e, dialect);
            rollbackQuietly(failure);
            throw failure;
        } finally {
            release();
        }
    }

    @Override
    protected void discard() {
        try {
            rollbackQuietly(null);
        } finally {
            release();
        }
    }

    /** Runs a read in this unit's transaction; or, once the unit is over, in a short one of its own. */
    <T> T read(Function<Handle, T> query) {
        try {
            if (isOpen()) {
                return query.apply(openHandle());
            }
            return jdbi.withHandle(own -> {
                readCommitted.apply(own.getConnection());
                return query.apply(own);
            });
        } catch (RuntimeException e) {
            throw Failures.translate(e, dialect);
        }
    }

    Dialect dialect() {
        return dialect;
    }


    private Handle openHandle() {
        if (handle == null) {
            Handle opened = jdbi.open();
            try {
                readCommitted.apply(opened.getConnection());
                opened.begin();
            } catch (RuntimeException e) {
                closeQuietly(opened, e);
                throw e;
            }
            handle = opened;
        }
        return handle;
    }

    private void rollbackQuietly(RuntimeException failure) {
        if (handle == null || handle.isClosed()) {
            return;
        }
        try {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                log.warn("Rolling back a unit of work failed: {}", e.toString());
            }
        }
    }

    private void release() {
        Handle held = handle;
        handle = null;
        if (held != null) {
            closeQuietly(held, null);
        }
    }

    private static void closeQuietly(Handle handle, RuntimeException failure) {
        try {
            handle.close();
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                log.warn("Releasing the connection of a unit of work failed: {}", e.toString());
            }
        }
    }
}
