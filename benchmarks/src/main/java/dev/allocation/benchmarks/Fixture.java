package dev.allocation.benchmarks;

import com.zaxxer.hikari.*;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.*;
import java.nio.file.*;
import java.sql.*;
import java.util.*;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One store ready for benchmarks, with a fresh database (none for memory) that is gone when closed:
 * services built on it as users build them, and raw-SQL twins on the same database. H2 files are durable
 * as the service opens them ({@code WRITE_DELAY=0}: a commit is on disk before it returns). PostgreSQL
 * is the server at {@code PGHOST:PGPORT} (default 127.0.0.1:5432) as {@code PGUSER} (default postgres)
 * with {@code PGPASSWORD}, in a database of the given name, dropped and created again.
 */
record Fixture(Store store, String url, String user, String password, Path directory, String pgName,
               Connection keepAlive) implements AutoCloseable {

    private static final String PG = "jdbc:postgresql://" + env("PGHOST", "127.0.0.1") + ":" + env("PGPORT", "5432") + "/";
    private static final String PG_USER = env("PGUSER", "postgres");
    private static final String PG_PASSWORD = env("PGPASSWORD", "");
    /** The schema of {@link #serviceWithoutOutbox}. */
    static final String WITHOUT_OUTBOX = "no_outbox";

    static Fixture open(Store store, Path workDirectory, String pgName) throws Exception {
        String memory = "jdbc:h2:mem:bench-" + UUID.randomUUID();
        Path directory = workDirectory.resolve("h2-" + UUID.randomUUID()).toAbsolutePath().normalize();
        if (store == Store.POSTGRESQL) {
            admin("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)", "CREATE DATABASE " + pgName + " ENCODING 'UTF8' TEMPLATE template0");
        }
        return switch (store) {
            case MEMORY -> new Fixture(store, null, null, null, null, null, null);
            // H2 in memory lives as long as one connection does
            case H2_MEMORY -> new Fixture(store, memory, "sa", "", null, null, DriverManager.getConnection(memory, "sa", ""));
            case H2_FILE -> new Fixture(store, "jdbc:h2:file:" + Files.createDirectories(directory).resolve("allocation")
                    + ";WRITE_DELAY=0", "sa", "", directory, null, null);
            case POSTGRESQL -> new Fixture(store, PG + pgName, PG_USER, PG_PASSWORD, null, pgName, null);
        };
    }

    /** A builder whose notifications and events go nowhere: logging them would weigh on the numbers. */
    static Bootstrap.Builder quietBuilder() {
        return Bootstrap.builder().notifications((destination, message) -> { }).eventPublisher(event -> { });
    }

    /** A service: {@code inMemory()}, {@code h2(directory)} or {@code jdbc(url, user, password)}, with this locking. */
    AllocationService service(Locking locking) {
        return service(locking, builder -> { });
    }

    /** {@link #service(Locking)}, with more choices made on its builder by {@code more}. */
    AllocationService service(Locking locking, Consumer<Bootstrap.Builder> more) {
        Bootstrap.Builder builder = quietBuilder().locking(locking);
        more.accept(builder);
        switch (store) {
            case MEMORY -> builder.inMemory();
            case H2_FILE -> builder.h2(directory);
            default -> builder.jdbc(url, user, password);
        }
        return builder.build();
    }

    /**
     * The same service on PostgreSQL, in a schema of its own whose outbox keeps nothing: a rule turns
     * each insert into it into nothing, so the relay never finds work. What it saves against
     * {@link #service} is what the outbox costs (its rows and the relay's claims and marks), less the
     * round trip of the outbox's insert, which it still makes.
     */
    AllocationService serviceWithoutOutbox(Locking locking) throws SQLException {
        execute("CREATE SCHEMA IF NOT EXISTS " + WITHOUT_OUTBOX);
        AllocationService service = quietBuilder().locking(locking)
                .jdbc(url + "?currentSchema=" + WITHOUT_OUTBOX, user, password).build();
        execute("CREATE OR REPLACE RULE keep_nothing AS ON INSERT TO " + WITHOUT_OUTBOX + ".outbox DO INSTEAD NOTHING");
        return service;
    }

    /** A HikariCP pool with its defaults, on a new schema of this PostgreSQL database. */
    HikariDataSource pool(String schema) throws SQLException {
        execute("CREATE SCHEMA " + schema);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + "?currentSchema=" + schema);
        config.setUsername(user);
        config.setPassword(password);
        return new HikariDataSource(config);
    }

    /** A raw-SQL twin on this store's database, on a connection of its own, for one thread. */
    RawSession raw() throws SQLException {
        return new RawSession(connect(null), store == Store.POSTGRESQL);
    }

    /** A new connection to {@code schema} (null: the default one), autocommit on. */
    Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(schema == null ? url : url + "?currentSchema=" + schema, user, password);
    }

    /** Runs one statement with these parameters on a new connection, autocommit on. */
    void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect(null); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }

    /**
     * Brings the database to how it runs once it has run a while: on PostgreSQL, {@code ANALYZE}. A service
     * prepares its statements on the server, and PostgreSQL plans them by the statistics that autovacuum
     * gathers within a running database's first minute; a benchmark measures in seconds on tables it has
     * just created. Planned on tables it believes empty, a lookup by key scans the whole table for as long
     * as the plan is cached. Elsewhere it does nothing.
     */
    void settle() {
        if (store == Store.POSTGRESQL) {
            try {
                execute("ANALYZE");
            } catch (SQLException e) {
                throw new IllegalStateException("ANALYZE failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The PostgreSQL server's version, followed by those of its settings that weigh on a commit or on a
     * table's upkeep and that differ from PostgreSQL's own defaults (a machine's server may run with
     * autovacuum off, say), so that a report says what it was measured on; throws, saying where it
     * looked, when no server answers.
     */
    static String postgresVersion() {
        DriverManager.setLoginTimeout(5);
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            String version;
            try (ResultSet rs = statement.executeQuery("SHOW server_version")) {
                rs.next();
                version = rs.getString(1);
            }
            List<String> changed = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT name, setting FROM pg_settings WHERE name IN "
                    + "('autovacuum', 'fsync', 'synchronous_commit', 'full_page_writes', 'commit_delay') "
                    + "AND setting <> boot_val ORDER BY name")) {
                while (rs.next()) {
                    changed.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            return changed.isEmpty() ? version : version + ", with " + String.join(", ", changed);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + PG + " as " + PG_USER + ": " + e.getMessage());
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
            admin("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
        }
    }

    @Override
    public String toString() {
        return store.toString();
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(PG + "postgres", PG_USER, PG_PASSWORD);
    }

    private static void admin(String... statements) throws SQLException {
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
