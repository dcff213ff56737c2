package dev.allocation.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * The connection pools a service opens itself (and so closes itself): HikariCP, with the settings that
 * keep the service's promises.
 *
 * <ul>
 *   <li><b>Outages are short and honest.</b> A request waits at most {@link #CONNECTION_TIMEOUT} for a
 *       connection; on PostgreSQL, connecting, logging in, each statement and each read of the socket
 *       are bounded too, so a database that stops answering cannot hold a request: it fails as
 *       {@code StorageUnavailable} (a 503) within seconds. The pool replaces broken connections by
 *       itself once the database is back. Options in the URL win over these defaults.</li>
 *   <li><b>H2 files are durable.</b> H2 writes a commit to its file up to half a second later by
 *       default, so a {@code kill -9} loses what it acknowledged last: {@code WRITE_DELAY=0} writes it
 *       before the commit returns.</li>
 *   <li><b>The service closes H2, not H2's shutdown hook</b> ({@code DB_CLOSE_ON_EXIT=FALSE}), so that
 *       the requests still in flight at SIGTERM finish on an open database.</li>
 * </ul>
 */
final class PooledDataSources {

    /** How long a request waits for a connection before the database counts as unavailable. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** PostgreSQL: the longest a statement may run, and the longest the socket may stay silent. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(4);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    private PooledDataSources() {
    }

    static HikariDataSource forUrl(String url, String user, String password) {
        return new HikariDataSource(config(url, user, password));
    }

    /** The pool's settings for this URL. */
    static HikariConfig config(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(isH2(url) ? withH2Defaults(url) : url);
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

    /** An H2 database kept in files under {@code directory}. */
    static HikariDataSource h2File(Path directory) {
        return forUrl("jdbc:h2:file:" + directory.toAbsolutePath().normalize().resolve("allocation"), "sa", "");
    }

    /** The URL up to its options, which may carry credentials: what a log line may show. */
    static String describe(String url) {
        int options = url.indexOf(';');
        int query = url.indexOf('?');
        int end = options >= 0 ? options : query >= 0 ? query : url.length();
        return url.substring(0, end);
    }

    /** The H2 URL with a commit written before it returns, and the database closed by the service. */
    static String withH2Defaults(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        StringBuilder withDefaults = new StringBuilder(url);
        if (!upper.contains(";WRITE_DELAY=")) {
            withDefaults.append(";WRITE_DELAY=0");
        }
        if (!upper.contains(";DB_CLOSE_ON_EXIT=")) {
            withDefaults.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        return withDefaults.toString();
    }

    private static boolean isH2(String url) {
        return url.startsWith("jdbc:h2:");
    }

    private static String seconds(Duration duration) {
        return Long.toString(duration.toSeconds());
    }
}
