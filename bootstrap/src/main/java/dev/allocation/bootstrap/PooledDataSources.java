package dev.allocation.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.UUID;

/** The connection pools a service opens itself (and so closes itself): HikariCP. */
final class PooledDataSources {

    private PooledDataSources() {
    }

    static HikariDataSource forUrl(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("allocation");
        config.setMaximumPoolSize(16);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    /** A new H2 database in memory, private to one service: gone when its pool closes. */
    static HikariDataSource privateH2() {
        return forUrl("jdbc:h2:mem:allocation-" + UUID.randomUUID(), "sa", "");
    }

    /** An H2 database kept in files under {@code directory}. */
    static HikariDataSource h2File(Path directory) {
        return forUrl("jdbc:h2:file:" + directory.toAbsolutePath().normalize().resolve("allocation"), "sa", "");
    }

    static String describe(String url) {
        int options = url.indexOf(';');
        int query = url.indexOf('?');
        int end = options >= 0 ? options : query >= 0 ? query : url.length();
        return url.substring(0, end);
    }
}
