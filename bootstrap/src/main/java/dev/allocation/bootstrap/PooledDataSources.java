package dev.allocation.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The HikariCP pools a service opens (and closes) itself, with the settings that keep its promises:
 *
 * <ul>
 *   <li><b>Outages are short and honest.</b> A request waits at most {@link #CONNECTION_TIMEOUT} for a
 *       connection; on PostgreSQL connecting, logging in, each statement and each socket read are
 *       bounded too, so a database that stops answering fails a request as {@code StorageUnavailable}
 *       (a 503) within seconds. Options in the URL win over these.</li>
 *   <li><b>H2 files are durable.</b> {@code WRITE_DELAY=0} writes a commit before it returns, so a
 *       {@code kill -9} loses nothing acknowledged.</li>
 *   <li><b>The service closes H2, not H2's shutdown hook</b> ({@code DB_CLOSE_ON_EXIT=FALSE}), so that
 *       requests in flight at SIGTERM finish on an open database.</li>
 * </ul>
 */
final class PooledDataSources {

    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The H2 driver: optional in adapters-jdbc, brought by allocation-bootstrap for its default store, and
     * left out by a PostgreSQL user who excludes it.
     */
    static final Driver H2 = new Driver("jdbc:h2:", "H2", "org.h2.Driver", "com.h2database:h2",
            "H2 is the store by default and that of h2(dir); without H2, choose jdbc(url, user, password) or "
                    + "jdbc(dataSource) for PostgreSQL, or inMemory()");

    /** The PostgreSQL driver: optional in adapters-jdbc, its version the user's choice. */
    static final Driver POSTGRESQL = new Driver("jdbc:postgresql:", "PostgreSQL", "org.postgresql.Driver",
            "org.postgresql:postgresql", "the driver's version is yours to choose");

    /**
     * Data sources that open a new physical connection each time they are asked for one: through
     * {@code jdbc(DataSource)}, each unit of work would pay a connection (on PostgreSQL, 38–49 Allocates/s
     * against 611–721 through a pool). Compared by class name, to need none of these libraries.
     */
    static final Set<String> NOT_POOLING = Set.of(
            "org.postgresql.ds.PGSimpleDataSource",
            // a source of pooled connections for a pool to manage, not a pool: each call connects anew
            "org.postgresql.ds.PGConnectionPoolDataSource",
            "org.h2.jdbcx.JdbcDataSource",
            "org.springframework.jdbc.datasource.DriverManagerDataSource",
            "org.springframework.jdbc.datasource.SimpleDriverDataSource");

    private PooledDataSources() {
    }

    /**
     * A JDBC driver this module knows by its URL prefix, to say which artifact is missing when its class is
     * not on the class path, instead of HikariCP's "Failed to get driver instance".
     */
    record Driver(String urlPrefix, String database, String driverClass, String artifact, String advice) {

        /** @throws IllegalStateException naming the artifact to add when the URL is this driver's and it is missing */
        void requireFor(String url) {
            if (url.startsWith(urlPrefix) && !present()) {
                throw new IllegalStateException(database + " storage (" + describe(url) + ") needs the " + database
                        + " JDBC driver " + driverClass + ", which is not on the class path: add the dependency "
                        + artifact + " (" + advice + ")");
            }
        }

        private boolean present() {
            for (ClassLoader loader : new ClassLoader[] {
                    Thread.currentThread().getContextClassLoader(), PooledDataSources.class.getClassLoader()}) {
                try {
                    Class.forName(driverClass, false, loader);
                    return true;
                } catch (ClassNotFoundException | LinkageError e) {
                    // not through this loader
                }
            }
            return false;
        }

        /** The same check for another class name: lets a test see the message of a missing driver. */
        Driver withDriverClass(String className) {
            return new Driver(urlPrefix, database, className, artifact, advice);
        }
    }

    /** @throws IllegalStateException when the URL is H2's or PostgreSQL's and that driver is missing */
    static void requireDriver(String url) {
        for (Driver driver : List.of(H2, POSTGRESQL)) {
            driver.requireFor(url);
        }
    }

    /**
     * Whether this data source is one known to open a physical connection per {@code getConnection()}; by
     * its own class only, as a subclass may pool or keep a connection.
     */
    static boolean isKnownNotToPool(Class<?> dataSourceClass) {
        return NOT_POOLING.contains(dataSourceClass.getName());
    }

    /** How big the pools are and where they report; the size when nobody says, and no metrics. */
    record Sizing(int size, MetricsTrackerFactory metrics) {

        static final int DEFAULT_SIZE = 16;
        static final Sizing DEFAULT = new Sizing(DEFAULT_SIZE, null);

        Sizing {
            if (size < 1) {
                throw new IllegalArgumentException("A pool needs at least 1 connection, was " + size);
            }
        }
    }

    static HikariDataSource forUrl(String url, String user, String password) {
        return forUrl(url, user, password, Sizing.DEFAULT);
    }

    static HikariDataSource forUrl(String url, String user, String password, Sizing sizing) {
        requireDriver(url);
        HikariConfig config = config(url, user, password);
        config.setMaximumPoolSize(sizing.size());
        if (sizing.metrics() != null) {
            config.setMetricsTrackerFactory(sizing.metrics());
        }
        return new HikariDataSource(config);
    }

    static HikariConfig config(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.startsWith("jdbc:h2:") ? withH2Defaults(url) : url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("allocation");
        config.setMaximumPoolSize(Sizing.DEFAULT_SIZE);
        config.setAutoCommit(true);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        if (url.startsWith("jdbc:postgresql:")) {
            // driver properties: parameters of the URL override them
            config.addDataSourceProperty("connectTimeout", seconds(CONNECTION_TIMEOUT));
            config.addDataSourceProperty("loginTimeout", seconds(CONNECTION_TIMEOUT));
            config.addDataSourceProperty("socketTimeout", seconds(SOCKET_TIMEOUT));
            config.addDataSourceProperty("tcpKeepAlive", "true");
            config.addDataSourceProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis());
        }
        return config;
    }

    /** A new H2 database in memory, private to one service: gone when its pool closes. */
    static HikariDataSource privateH2(Sizing sizing) {
        return forUrl("jdbc:h2:mem:allocation-" + UUID.randomUUID(), "sa", "", sizing);
    }

    static HikariDataSource h2File(Path directory) {
        return h2File(directory, Sizing.DEFAULT);
    }

    static HikariDataSource h2File(Path directory, Sizing sizing) {
        return forUrl("jdbc:h2:file:" + directory.toAbsolutePath().normalize().resolve("allocation"), "sa", "", sizing);
    }

    /** The URL without its options, which may carry credentials: what a log line may show. */
    static String describe(String url) {
        return url.split("[;?]", 2)[0];
    }

    /** Adds {@code WRITE_DELAY=0} and {@code DB_CLOSE_ON_EXIT=FALSE} unless the URL sets them. */
    static String withH2Defaults(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        return url + (upper.contains(";WRITE_DELAY=") ? "" : ";WRITE_DELAY=0")
                + (upper.contains(";DB_CLOSE_ON_EXIT=") ? "" : ";DB_CLOSE_ON_EXIT=FALSE");
    }

    private static String seconds(Duration duration) {
        return Long.toString(duration.toSeconds());
    }
}
