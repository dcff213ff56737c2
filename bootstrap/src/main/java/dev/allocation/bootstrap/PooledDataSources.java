package dev.allocation.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
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

    private PooledDataSources() {
    }

    static HikariDataSource forUrl(String url, String user, String password) {
        return new HikariDataSource(config(url, user, password));
    }

    static HikariConfig config(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.startsWith("jdbc:h2:") ? withH2Defaults(url) : url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("allocation");
        config.setMaximumPoolSize(16);
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
    static HikariDataSource privateH2() {
        return forUrl("jdbc:h2:mem:allocation-" + UUID.randomUUID(), "sa", "");
    }

    static HikariDataSource h2File(Path directory) {
        return forUrl("jdbc:h2:file:" + directory.toAbsolutePath().normalize().resolve("allocation"), "sa", "");
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
