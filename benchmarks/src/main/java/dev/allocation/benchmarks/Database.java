package dev.allocation.benchmarks;

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
 * A fresh, empty database for one store's benchmarks, gone when closed; the service and the raw twin
 * both reach it by {@link #url()}. H2 files are durable as the service opens them ({@code WRITE_DELAY=0}:
 * a commit is on disk before it returns). PostgreSQL is the server at {@code PGHOST:PGPORT} (default
 * 127.0.0.1:5432) as {@code PGUSER} (default postgres) with {@code PGPASSWORD}, in a database of the
 * given name, dropped and created again.
 */
record Database(Store store, String url, String user, String password, Path directory, String pgName,
                Connection keepAlive) implements AutoCloseable {

    private static final String PG_HOST = env("PGHOST", "127.0.0.1");
    private static final String PG_PORT = env("PGPORT", "5432");
    private static final String PG_USER = env("PGUSER", "postgres");
    private static final String PG_PASSWORD = env("PGPASSWORD", "");

    /** A new empty database of {@code store} (a JDBC one). */
    static Database create(Store store, Path workDirectory, String pgName) throws Exception {
        switch (store) {
            case H2_MEMORY -> {
                // H2 in memory lives as long as one connection does
                String url = "jdbc:h2:mem:bench-" + UUID.randomUUID();
                return new Database(store, url, "sa", "", null, null, DriverManager.getConnection(url, "sa", ""));
            }
            case H2_FILE -> {
                Path directory = Files.createDirectories(workDirectory.resolve("h2-" + UUID.randomUUID()))
                        .toAbsolutePath().normalize();
                return new Database(store, "jdbc:h2:file:" + directory.resolve("allocation") + ";WRITE_DELAY=0",
                        "sa", "", directory, null, null);
            }
            case POSTGRESQL -> {
                try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                    statement.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
                    statement.execute("CREATE DATABASE " + pgName + " ENCODING 'UTF8' TEMPLATE template0");
                }
                return new Database(store, "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + pgName,
                        PG_USER, PG_PASSWORD, null, pgName, null);
            }
            default -> throw new IllegalArgumentException("The memory store has no database");
        }
    }

    /** Null when the PostgreSQL server answers; else why not. */
    static String postgresProblem() {
        DriverManager.setLoginTimeout(5);
        try (Connection connection = admin()) {
            connection.isValid(5);
            return null;
        } catch (SQLException e) {
            return "PostgreSQL is not reachable at " + PG_HOST + ":" + PG_PORT + " as " + PG_USER + ": " + e.getMessage();
        }
    }

    /** The server's version ("16.4"), or null when it does not answer. */
    static String postgresVersion() {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW server_version")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    SqlDialect dialect() {
        return store == Store.POSTGRESQL ? SqlDialect.POSTGRESQL : SqlDialect.H2;
    }

    /** A new connection, autocommit on, for the raw twin and for seeding. */
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
            try (keepAlive; Statement statement = keepAlive.createStatement()) {
                statement.execute("SHUTDOWN");
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

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres", PG_USER, PG_PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
