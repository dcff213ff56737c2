package dev.allocation.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A database made for one test class (or one test): where it is, an unpooled {@link DataSource} on it,
 * and {@link #close()} to throw it away. Build your own pool on {@link #url()} when a test needs one.
 */
public final class TestDatabase implements AutoCloseable {

    private final String description;
    private final String url;
    private final String user;
    private final String password;
    private final DataSource dataSource;
    private final AutoCloseable disposal;

    TestDatabase(String description, String url, String user, String password, DataSource dataSource,
                 AutoCloseable disposal) {
        this.description = description;
        this.url = url;
        this.user = user;
        this.password = password;
        this.dataSource = Objects.requireNonNull(dataSource);
        this.disposal = disposal;
    }

    /** A new connection per {@code getConnection()}, no pool. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL. */
    public String url() {
        return url;
    }

    /** @return the user the data source connects as */
    public String user() {
        return user;
    }

    /** @return that user's password */
    public String password() {
        return password;
    }

    /**
     * Empties every table of the allocation schema and frees the outbox's buckets, so that one database
     * serves many tests.
     */
    public void emptyTables() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : new String[] {"outbox", "allocations_view", "allocations", "batches", "batch_references",
                    "products", "outbox_relays"}) {
                statement.execute("DELETE FROM " + table);
            }
            // the relays of the tests before are gone: their buckets are free for the next test's at once
            statement.execute("UPDATE outbox_buckets SET relay_id = NULL, lease_until = 0");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not empty the tables of " + this, e);
        }
    }

    /** Drops the database (PostgreSQL) or shuts it down (H2). */
    @Override
    public void close() {
        try {
            disposal.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not dispose of " + this, e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
