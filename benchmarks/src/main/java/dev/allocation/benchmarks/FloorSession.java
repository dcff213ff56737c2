package dev.allocation.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The floor of an Allocate on PostgreSQL, through plain JDBC: the tight transaction of the project's pgbench
 * floor ({@code pgbench-allocate.sql}: read the product's version and its batches, update a batch, bump
 * the version, insert the line, commit), on tables of its own in the schema {@value #SCHEMA}, each
 * statement prepared once (pgjdbc's {@code prepareThreshold=1}, as {@code pgbench -M prepared}). Not this
 * project's statements: what PostgreSQL itself does for about the same work, which scenario 1 reports
 * each service as a fraction of. One thread uses a session.
 */
final class FloorSession implements AutoCloseable {

    static final String SCHEMA = "floor";

    private final Connection connection;
    private final PreparedStatement version;
    private final PreparedStatement batches;
    private final PreparedStatement updateBatch;
    private final PreparedStatement bumpVersion;
    private final PreparedStatement insertLine;

    private FloorSession(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        version = connection.prepareStatement("SELECT version FROM products WHERE sku = ?");
        batches = connection.prepareStatement(
                "SELECT id, qty - allocated FROM batches WHERE sku = ? ORDER BY eta NULLS FIRST LIMIT 5");
        updateBatch = connection.prepareStatement("UPDATE batches SET allocated = allocated + 1 WHERE reference = ?");
        bumpVersion = connection.prepareStatement("UPDATE products SET version = version + 1 WHERE sku = ?");
        insertLine = connection.prepareStatement("INSERT INTO allocations (orderid, sku, qty, batch_id) VALUES (?, ?, 1, 1)");
    }

    /**
     * Creates the floor's tables in {@value #SCHEMA}, unless there, and {@code skus} products named
     * {@code sku(prefix, i)} in them.
     */
    static void create(Fixture fixture, String prefix, int skus) throws SQLException {
        try (Connection connection = fixture.connect(null); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);   // a second set of skus joins the first
            statement.execute("SET search_path = " + SCHEMA);
            // the tables of pgbench-allocate.sh
            statement.execute("CREATE TABLE IF NOT EXISTS products (sku text PRIMARY KEY, version int NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS batches (id serial PRIMARY KEY, reference text UNIQUE, sku text, qty int, "
                    + "allocated int NOT NULL DEFAULT 0, eta date)");
            statement.execute("CREATE TABLE IF NOT EXISTS allocations (id bigserial PRIMARY KEY, orderid text, sku text, qty int, "
                    + "batch_id int, UNIQUE (orderid, sku))");
            statement.execute("CREATE INDEX IF NOT EXISTS batches_sku ON batches (sku)");
            statement.execute("INSERT INTO products SELECT '" + prefix + "-' || g, 0 FROM generate_series(0, " + (skus - 1)
                    + ") g ON CONFLICT DO NOTHING");
            statement.execute("INSERT INTO batches (reference, sku, qty) SELECT sku || '-b', sku, 1000000000 FROM products "
                    + "ON CONFLICT DO NOTHING");
        }
        fixture.settle();
    }

    /** A session on the floor's tables of {@code fixture}. */
    static FloorSession open(Fixture fixture) throws SQLException {
        Connection connection = fixture.connect(SCHEMA);
        connection.unwrap(org.postgresql.PGConnection.class).setPrepareThreshold(1);
        return new FloorSession(connection);
    }

    /** One Allocate of {@code orderId} on {@code sku}, committed. */
    void allocate(String orderId, String sku) throws SQLException {
        version.setString(1, sku);
        try (ResultSet rs = version.executeQuery()) {
            rs.next();
        }
        batches.setString(1, sku);
        try (ResultSet rs = batches.executeQuery()) {
            rs.next();
        }
        updateBatch.setString(1, sku + "-b");
        updateBatch.executeUpdate();
        bumpVersion.setString(1, sku);
        bumpVersion.executeUpdate();
        insertLine.setString(1, orderId);
        insertLine.setString(2, sku);
        insertLine.executeUpdate();
        connection.commit();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
