package dev.allocation.adapters.jdbc;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs the writes of one transaction at a time on an H2 file database, and lets them run freely
 * elsewhere. H2's MVStore writes its tables to the file in a store operation that is consistent for
 * each table but not across tables while other transactions change them (h2database#2080): a
 * {@code kill -9} right after such a store can leave one transaction half in the file (a batch's
 * allocated quantity without the lines it counts). A transaction's writes and its commit, which on a
 * durable H2 file runs that store, are therefore never interleaved with another's. Reads stay concurrent.
 */
final class SerialWrites {

    private final ReentrantLock lock;

    private SerialWrites(ReentrantLock lock) {
        this.lock = lock;
    }

    /** One at a time on an H2 file database; free on PostgreSQL and on H2 in memory. */
    static SerialWrites of(Dialect dialect, String url) {
        return new SerialWrites(isH2File(dialect, url) ? new ReentrantLock() : null);
    }

    static boolean isH2File(Dialect dialect, String url) {
        return dialect == Dialect.H2 && url != null && !url.startsWith("jdbc:h2:mem:");
    }

    /** Runs {@code writes}, which end with their transaction's commit. */
    void run(Runnable writes) {
        call(() -> {
            writes.run();
            return null;
        });
    }

    /** Runs {@code writes}, which end with their transaction's commit, and returns what they return. */
    <T> T call(Supplier<T> writes) {
        if (lock == null) {
            return writes.get();
        }
        lock.lock();
        try {
            return writes.get();
        } finally {
            lock.unlock();
        }
    }
}
