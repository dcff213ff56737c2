package dev.allocation.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh databases for tests: H2 in memory, H2 in a file, and PostgreSQL.
 *
 * <p>PostgreSQL is the server at {@code PGHOST:PGPORT} (default 127.0.0.1:5432) as {@code PGUSER}
 * (default postgres) with {@code PGPASSWORD} (default none). Each call creates a database
 * {@code allocation_test_<random>}; closing it drops it. When no server answers, the calling test is
 * skipped (a JUnit assumption) with a message saying so, unless the environment variable
 * {@code CI=true}, where a missing server fails the test instead.
 *
 * <p><b>The profile partitioned by sku.</b> With the environment variable
 * {@code ALLOCATION_TEST_POSTGRES=partitioned}, every database {@link #postgres()} creates already holds
 * the allocation schema with its tables hash-partitioned by sku into {@value #PARTITIONS} partitions
 * ({@link #postgresPartitionedBySku()}), so that the tests of a storage, of the outbox and of the service
 * run unchanged on a database laid out as a distributed one is. Tests of the migrations themselves
 * need a fresh database, and are left out of such a run.
 */
public final class TestDatabases {

    private static final String PG_HOST = env("PGHOST", "127.0.0.1");
    private static final String PG_PORT = env("PGPORT", "5432");
    private static final String PG_USER = env("PGUSER", "postgres");
    private static final String PG_PASSWORD = env("PGPASSWORD", "");
    /** The environment variable that chooses the profile partitioned by sku. */
    private static final String PROFILE = "ALLOCATION_TEST_POSTGRES";
    /** The partitions of each table in a database partitioned by sku. */
    public static final int PARTITIONS = 8;
    private static volatile String postgresProblem;
    private static volatile boolean postgresChecked;

    private TestDatabases() {
    }

    /** A new, empty H2 database in memory, private to the caller; gone at close. */
    public static TestDatabase h2InMemory() {
        String name = "allocation-" + UUID.randomUUID();
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource dataSource = h2DataSource(url);
        return new TestDatabase("H2 in memory " + name, url, "sa", "", dataSource,
                () -> shutdownH2(dataSource));
    }

    /**
     * An H2 database in a file under {@code directory}: a new one the first time, the same one again
     * for the same directory. Closing shuts it down and keeps the file, so that a test can reopen it.
     */
    public static TestDatabase h2File(Path directory) {
        String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("allocation");
        JdbcDataSource dataSource = h2DataSource(url);
        return new TestDatabase("H2 file in " + directory, url, "sa", "", dataSource, () -> shutdownH2(dataSource));
    }

    /** True when the PostgreSQL server answers. */
    public static boolean postgresReachable() {
        return postgresProblem() == null;
    }

    /**
     * A new, empty PostgreSQL database, dropped at close; skips the caller when no server answers
     * (fails it when {@code CI=true}).
     */
    public static TestDatabase postgres() {
        TestDatabase database = freshPostgres();
        if (partitionedProfile()) {
            partition(database);
        }
        return database;
    }

    /**
     * True in the profile partitioned by sku ({@code ALLOCATION_TEST_POSTGRES=partitioned}), where a test
     * of other stores may step aside.
     */
    public static boolean partitionedProfile() {
        return "partitioned".equalsIgnoreCase(System.getenv(PROFILE));
    }

    /**
     * A new PostgreSQL database, dropped at close, holding the allocation schema with every table that
     * holds a sku's rows hash-partitioned by sku into {@value #PARTITIONS} partitions, as PostgreSQL's
     * declarative partitioning does it, the step before a database distributed by sku. It needs
     * {@code allocation-adapters-jdbc} on the class path, whose migrations give it the schema; skips the
     * caller when no server answers (fails it when {@code CI=true}).
     */
    public static TestDatabase postgresPartitionedBySku() {
        TestDatabase database = freshPostgres();
        partition(database);
        return database;
    }

    /**
     * Gives the empty PostgreSQL database (or schema, by the connections' current schema) behind
     * {@code dataSource} the allocation schema partitioned by sku, as {@link #postgresPartitionedBySku()}
     * does, for a database the caller created itself.
     *
     * @param dataSource connections to an empty database or schema
     */
    public static void partitionBySku(DataSource dataSource) {
        PartitionedBySku.apply(dataSource, PARTITIONS);
    }

    private static void partition(TestDatabase database) {
        try {
            PartitionedBySku.apply(database.dataSource(), PARTITIONS);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static TestDatabase freshPostgres() {
        requirePostgres();
        String name = "allocation_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        String url = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + name;
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(PG_USER);
        dataSource.setPassword(PG_PASSWORD);
        return new TestDatabase("PostgreSQL database " + name, url, PG_USER, PG_PASSWORD, dataSource,
                () -> dropPostgres(name));
    }

    /** Skips the caller unless the PostgreSQL server answers; fails it instead when {@code CI=true}. */
    public static void requirePostgres() {
        String problem = postgresProblem();
        if (problem == null) {
            return;
        }
        String message = "PostgreSQL is not reachable at " + PG_HOST + ":" + PG_PORT + " as " + PG_USER
                + " (" + problem + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + "; with CI=true the PostgreSQL tests must run: start the"
                    + " server");
        }
        Assumptions.abort(message + ": skipping the PostgreSQL tests. Start a server there, or set"
                + " PGHOST/PGPORT/PGUSER/PGPASSWORD, to run them.");
    }

    private static String postgresProblem() {
        if (!postgresChecked) {
            synchronized (TestDatabases.class) {
                if (!postgresChecked) {
                    DriverManager.setLoginTimeout(5);
                    try (Connection connection = adminConnection()) {
                        connection.isValid(5);
                        postgresProblem = null;
                    } catch (SQLException e) {
                        postgresProblem = e.getMessage();
                    }
                    postgresChecked = true;
                }
            }
        }
        return postgresProblem;
    }

    private static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres",
                PG_USER, PG_PASSWORD);
    }

    private static void dropPostgres(String name) throws SQLException {
        try (Connection admin = adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static JdbcDataSource h2DataSource(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        dataSource.setPassword("");
        return dataSource;
    }

    private static void shutdownH2(JdbcDataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
