package dev.allocation.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty database for one store's benchmarks: created when opened, gone when closed. The
 * service under test and the raw-SQL reference both reach it by {@link #url()}.
 *
 * <p>PostgreSQL is the server at {@code PGHOST:PGPORT} (default 127.0.0.1:5432) as {@code PGUSER}
 * (default postgres) with {@code PGPASSWORD} (default none), in a database of the given name, dropped
 * and created again.
 */
final class Database implements AutoCloseable {

    private static final String PG_HOST = env("PGHOST", "127.0.0.1");
    private static final String PG_PORT = env("PGPORT", "5432");
    private static final String PG_USER = env("PGUSER", "postgres");
    private static final String PG_PASSWORD = env("PGPASSWORD", "");

    private final Store store;
    private final String url;
    private final String user;
    private final String password;
    private final Path directory;
    private final String pgName;
    private final int writeDelay;
    private final Connection keepAlive;

    private Database(Store store, String url, String user, String password, Path directory, String pgName,
                     int writeDelay) throws SQLException {
        this.store = store;
        this.url = url;
        this.user = user;
        this.password = password;
        this.directory = directory;
        this.pgName = pgName;
        this.writeDelay = writeDelay;
        // H2 in memory lives as long as one connection does (DB_CLOSE_DELAY=-1 would too, until SHUTDOWN)
        this.keepAlive = store == Store.H2_MEMORY ? DriverManager.getConnection(url, user, password) : null;
    }

    /**
     * A new empty database of {@code store} (a JDBC one): H2 in memory, H2 files under a new directory
     * in {@code workDirectory} (durable, as the service opens them), or the PostgreSQL database
     * {@code pgName}, dropped and created anew.
     */
    static Database create(Store store, Path workDirectory, String pgName) {
        try {
            return switch (store) {
                case H2_MEMORY -> new Database(store, "jdbc:h2:mem:bench-" + UUID.randomUUID(), "sa", "", null, null, 0);
                case H2_FILE -> h2File(workDirectory, 0);
                case POSTGRESQL -> {
                    try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                        statement.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
                        statement.execute("CREATE DATABASE " + pgName + " ENCODING 'UTF8' TEMPLATE template0");
                    }
                    yield new Database(store, "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + pgName,
                            PG_USER, PG_PASSWORD, null, pgName, 0);
                }
                case MEMORY -> throw new IllegalArgumentException("The memory store has no database");
            };
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a " + store + " database", e);
        }
    }

    /**
     * New empty H2 files under a new directory in {@code workDirectory}, whose commits reach the file at
     * most {@code writeDelayMillis} after they return: 0, the service's setting (a commit is written
     * before it returns), or H2's own default, 500. The files are those {@code Bootstrap.h2(directory)}
     * opens; the URL states {@code WRITE_DELAY}, a setting of the whole database, which the service's
     * pool and the raw reference then share.
     */
    static Database h2File(Path workDirectory, int writeDelayMillis) {
        try {
            Path directory = Files.createDirectories(workDirectory.resolve("h2-" + UUID.randomUUID()))
                    .toAbsolutePath().normalize();
            return new Database(Store.H2_FILE, "jdbc:h2:file:" + directory.resolve("allocation") + ";WRITE_DELAY="
                    + writeDelayMillis, "sa", "", directory, null, writeDelayMillis);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create an H2 file database", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Null when the PostgreSQL server answers; else why not. */
    static String postgresProblem() {
        DriverManager.setLoginTimeout(5);
        try (Connection connection = admin()) {
            connection.isValid(5);
            return null;
        } catch (SQLException e) {
            return "PostgreSQL is not reachable at " + PG_HOST + ":" + PG_PORT + " as " + PG_USER + ": "
                    + e.getMessage();
        }
    }

    /** The server's version ("15.4"), or null when it does not answer. */
    static String postgresVersion() {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return null;
        }
    }

    Store store() {
        return store;
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** The directory of an H2 file database (what {@code Bootstrap.h2} takes); null for the others. */
    Path directory() {
        return directory;
    }

    /** H2 files: how long after a commit returns it may reach the file, milliseconds (0: before). */
    int writeDelay() {
        return writeDelay;
    }

    /**
     * H2: the value of a setting of the open database as H2 reports it (INFORMATION_SCHEMA.SETTINGS),
     * read on a connection whose URL sets nothing.
     */
    String h2Setting(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url.split(";", 2)[0], user, password);
             java.sql.PreparedStatement query = connection.prepareStatement(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    SqlDialect dialect() {
        return store == Store.POSTGRESQL ? SqlDialect.POSTGRESQL : SqlDialect.H2;
    }

    /** A new connection, autocommit on, for the raw reference and for seeding. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Brings the planner's statistics up to date after a bulk load, as autovacuum would in production. */
    void analyze() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
    }

    @Override
    public void close() throws Exception {
        if (keepAlive != null) {
            try (Statement statement = keepAlive.createStatement()) {
                statement.execute("SHUTDOWN");
            } finally {
                keepAlive.close();
            }
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        if (pgName != null) {
            try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
            }
        }
    }

    @Override
    public String toString() {
        return store + " " + (pgName != null ? pgName : url);
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres",
                PG_USER, PG_PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
