package dev.allocation.adapters.jdbc;

import dev.allocation.application.port.ConcurrencyConflict;
import dev.allocation.application.port.StorageUnavailable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import org.jdbi.v3.core.Handle;

/**
 * What differs between the databases this adapter supports: the read model's upsert (PostgreSQL 14 has
 * no MERGE, H2 has no ON CONFLICT), how a connection is put at READ COMMITTED, and how each reports a
 * lost race or an outage, which {@link #translate} turns into the ports' exceptions.
 */
enum Dialect {

    H2("H2", """
            MERGE INTO allocations_view v
            USING (%s) s (orderid, sku, batchref, version)
            ON v.orderid = s.orderid AND v.sku = s.sku
            WHEN MATCHED AND v.version < s.version THEN
                UPDATE SET batchref = s.batchref, version = s.version
            WHEN NOT MATCHED THEN
                INSERT (orderid, sku, batchref, version) VALUES (s.orderid, s.sku, s.batchref, s.version)""",
            // run alone: a count of 0 stops the unit before its next statement
            "UPDATE products SET version = ? WHERE sku = ? AND version = ?") {

        @Override
        boolean isLostRace(SQLException e) {
            // 40001 deadlock, HYT00 lock timeout, 90131 concurrent update of a row
            return hasState(e, "40001", "HYT00") || e.getErrorCode() == 90131;
        }

        @Override
        boolean isOutage(SQLException e) {
            // 90067 connection broken, 90098 database closed, 90121 called at shutdown
            return Set.of(90067, 90098, 90121).contains(e.getErrorCode());
        }

        @Override
        void relaxCommit(Handle handle) {
            // WRITE_DELAY applies to the whole database: no per-transaction choice
        }

        @Override
        String bucketOf(String sku, int buckets) {
            return "ORA_HASH(" + sku + ", " + (buckets - 1) + ")";
        }

        @Override
        void shareClaims(Handle handle) {
            // one process alone opens an H2 database: no relay of another release runs beside this one
        }

        @Override
        Optional<String> vacuumOutbox() {
            return Optional.empty();   // H2's store reuses the space of deleted rows as it writes
        }

        @Override
        void readCommitted(Connection connection) throws SQLException {
            // asking H2 costs nothing, and a pool may have changed the level since
            if (connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        }
    },

    POSTGRESQL("PostgreSQL", """
            INSERT INTO allocations_view (orderid, sku, batchref, version)
            %s
            ON CONFLICT (orderid, sku) DO UPDATE
                SET batchref = excluded.batchref, version = excluded.version
                WHERE allocations_view.version < excluded.version""",
            // sent with the rest of the unit's writes: a stale version divides by zero, which fails the round
            // trip, so that nothing after it runs
            """
            WITH checked AS (UPDATE products SET version = ? WHERE sku = ? AND version = ? RETURNING sku)
            SELECT 1 / COUNT(*) FROM checked""") {

        @Override
        boolean isLostRace(SQLException e) {
            // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available
            return hasState(e, "40001", "40P01", "55P03");
        }

        @Override
        boolean isOutage(SQLException e) {
            // 57P.. shutting down, starting, crashed...; 57014 statement timeout; 53300 too many connections
            String state = e.getSQLState();
            return state != null && state.startsWith("57P") || hasState(e, "57014", "53300");
        }

        @Override
        void relaxCommit(Handle handle) {
            handle.execute("SET LOCAL synchronous_commit = off");
        }

        @Override
        String bucketOf(String sku, int buckets) {
            return "abs(hashtext(" + sku + ") % " + buckets + ")";
        }

        @Override
        void shareClaims(Handle handle) {
            handle.createQuery("SELECT id FROM outbox_claims WHERE id = 1 FOR SHARE").mapTo(Integer.class).one();
        }

        @Override
        Optional<String> vacuumOutbox() {
            // SKIP_LOCKED: a relay of another instance vacuuming it already is enough. TRUNCATE false: giving
            // the empty pages at its end back would lock the table against the commands' inserts a moment,
            // and the next inserts fill them again anyway
            return Optional.of("VACUUM (SKIP_LOCKED, TRUNCATE false) outbox");
        }

        /**
         * Asking costs a round trip here, so the level is set once per physical connection. Should a pool
         * later put a stricter default back (REPEATABLE READ, SERIALIZABLE), units stay correct: a lost race
         * is then a serialization failure, a {@link ConcurrencyConflict} that the bus retries.
         */
        @Override
        void readCommitted(Connection connection) throws SQLException {
            Connection physical = connection.isWrapperFor(Connection.class)
                    ? connection.unwrap(Connection.class) : connection;
            if (readCommittedAlready.putIfAbsent(physical, Boolean.TRUE) == null) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        }
    };

    /** The physical PostgreSQL connections set at READ COMMITTED, held as long as their session lives. */
    private static final Map<Connection, Boolean> readCommittedAlready =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final String productName;
    /** A commit's view row. Parameters: orderid, sku, batchref (null: not allocated), version. */
    final String writeView;
    /**
     * A product's version check ({@link Writes#check}), which changes its one row or none. Parameters: the
     * new version, the sku, the version loaded.
     */
    final String versionCheck;

    /**
     * {@code upsert} writes the row of a query (%s) into the view unless it holds that version or a newer
     * one; {@code versionCheck} is {@link #versionCheck}.
     */
    Dialect(String productName, String upsert, String versionCheck) {
        this.productName = productName;
        this.versionCheck = versionCheck;
        this.writeView = upsert.formatted(
                "SELECT CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS BIGINT)");
    }

    /** True for errors that mean another transaction got in the way: retrying may succeed. */
    abstract boolean isLostRace(SQLException e);

    /** This database's own ways of saying it cannot serve now, beyond the standard connection errors. */
    abstract boolean isOutage(SQLException e);

    /**
     * Lets the transaction open on {@code handle} commit without waiting for its flush to disk, for
     * bookkeeping that a crash of the database may undo harmlessly (the relay's claims and marks: an
     * event whose mark is lost is published again, which at least once allows). It is still atomic,
     * and seen by others as soon as it commits.
     */
    abstract void relaxCommit(Handle handle);

    /**
     * The SQL expression of the outbox bucket of the sku in column {@code sku}, from 0 to
     * {@code buckets - 1}: the same for a sku on every connection, since every relay reads it.
     */
    abstract String bucketOf(String sku, int buckets);

    /**
     * Takes, in the claim's transaction on {@code handle}, the one row of {@code outbox_claims} in share
     * mode: claims of this release hold it together, while a relay of the previous release, which locks
     * it for update, claims alone, so the two can run side by side during a rolling upgrade.
     */
    abstract void shareClaims(Handle handle);

    /**
     * The statement that reclaims the rows the relay deleted or marked from the outbox's table and its
     * indexes, run outside any transaction; empty where the database needs none. On PostgreSQL a deleted
     * row keeps its entries in the pending events' indexes until a {@code VACUUM}, and every claim walks
     * over them: left to autovacuum, which looks at each database about once a minute (and not at all on
     * a server that runs without it), a busy outbox piles up enough of them to make each claim a scan.
     */
    abstract Optional<String> vacuumOutbox();

    /**
     * Puts {@code connection}, with no transaction open, at READ COMMITTED: each statement sees what was
     * committed before it began, and the version check (or the row lock) does the rest. Never READ
     * UNCOMMITTED, which H2 really has: nothing may read what another transaction may still roll back.
     */
    abstract void readCommitted(Connection connection) throws SQLException;

    static Dialect of(Connection connection) throws SQLException {
        String name = connection.getMetaData().getDatabaseProductName();
        for (Dialect dialect : values()) {
            if (dialect.productName.equalsIgnoreCase(name)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("Unsupported database " + name
                + ": the allocation storage runs on H2 2.x and PostgreSQL 14+");
    }

    /**
     * A {@link ConcurrencyConflict} when {@code failure} means another transaction got in the way (the bus
     * retries it), a {@link StorageUnavailable} when the database cannot be reached or is not answering;
     * else {@code failure} itself.
     */
    RuntimeException translate(RuntimeException failure) {
        SQLException sql = sqlCause(failure).orElse(null);
        if (sql == null || failure instanceof ConcurrencyConflict || failure instanceof StorageUnavailable) {
            return failure;
        }
        if (isLostRace(sql)) {
            return new ConcurrencyConflict("Lost a race with another transaction: " + sql.getMessage(), failure);
        }
        if (sql instanceof SQLTransientConnectionException   // the pool gave up waiting
                || sql instanceof SQLNonTransientConnectionException
                || sql instanceof SQLRecoverableException
                || (sql.getSQLState() != null && sql.getSQLState().startsWith("08"))
                || isOutage(sql)) {
            return new StorageUnavailable("The " + this + " database cannot be reached: " + sql.getMessage(), failure);
        }
        return failure;
    }

    /** True when a unique constraint refused a row: another unit inserted the same key. */
    boolean isUniqueViolation(RuntimeException failure) {
        return sqlCause(failure).map(e -> "23505".equals(e.getSQLState())).orElse(false);
    }

    private static boolean hasState(SQLException e, String... states) {
        return Arrays.asList(states).contains(e.getSQLState());
    }

    private static Optional<SQLException> sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                SQLException next = sql.getNextException();
                return Optional.of(next != null && sql.getSQLState() == null ? next : sql);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return productName.toLowerCase(Locale.ROOT);
    }
}
