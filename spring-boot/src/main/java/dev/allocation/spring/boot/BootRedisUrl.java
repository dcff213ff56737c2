package dev.allocation.spring.boot;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The Redis URL of the application's own Redis connection details (Boot's {@code spring.data.redis.*}, or a
 * service connection), for {@code allocation.redis.enabled=true} without {@code allocation.redis.url}: a
 * single server (Sentinel and Cluster are not the book's Redis), {@code rediss://} when it has an SSL bundle.
 * Loads Boot's Redis types only where {@code spring-boot-data-redis} is.
 */
final class BootRedisUrl {

    static final String DETAILS = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

    private BootRedisUrl() {
    }

    /** The URL of the application's single {@code DataRedisConnectionDetails} bean. */
    static String of(ListableBeanFactory beans) {
        if (!ClassUtils.isPresent(DETAILS, BootRedisUrl.class.getClassLoader())) {
            throw new IllegalStateException("allocation.redis.enabled=true takes Redis from the application's own "
                    + "Redis connection details (spring.data.redis.*), but spring-boot-data-redis is not on the class "
                    + "path: add spring-boot-starter-data-redis, or set allocation.redis.url");
        }
        return Details.of(beans);
    }

    /** Loaded only where spring-boot-data-redis is. */
    static final class Details {

        private Details() {
        }

        static String of(ListableBeanFactory beans) {
            DataRedisConnectionDetails details = beans.getBeanProvider(DataRedisConnectionDetails.class).getIfUnique();
            if (details == null) {
                throw new IllegalStateException("allocation.redis.enabled=true takes Redis from the application's own "
                        + "Redis connection details (spring.data.redis.*), but it has no single DataRedisConnectionDetails "
                        + "bean: set allocation.redis.url");
            }
            return url(details);
        }

        static String url(DataRedisConnectionDetails details) {
            if (details.getSentinel() != null || details.getCluster() != null) {
                throw new IllegalStateException("The application's Redis is a Sentinel or Cluster setup; the allocation "
                        + "service's Redis integration needs a single server: set allocation.redis.url");
            }
            DataRedisConnectionDetails.Standalone server = details.getStandalone();
            if (server == null) {
                throw new IllegalStateException("The application's Redis connection details name no server: "
                        + "set allocation.redis.url");
            }
            StringBuilder url = new StringBuilder(hasSslBundle(details) || hasSslBundle(server) ? "rediss://" : "redis://");
            String user = details.getUsername();
            String password = details.getPassword();
            if (password != null && !password.isEmpty()) {
                url.append(user == null || user.isEmpty() ? "" : encoded(user)).append(':').append(encoded(password))
                        .append('@');
            }
            String host = server.getHost();
            url.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                    .append(':').append(server.getPort());
            if (server.getDatabase() != 0) {
                url.append('/').append(server.getDatabase());
            }
            return url.toString();
        }
    }

    /**
     * Whether {@code details} names an SSL bundle: Boot 4.0 has it on the connection details, Boot 4.1 on the
     * server, so it is looked up by name on either.
     */
    static boolean hasSslBundle(Object details) {
        Method getter = ReflectionUtils.findMethod(details.getClass(), "getSslBundle");
        if (getter == null) {
            return false;
        }
        ReflectionUtils.makeAccessible(getter);
        return ReflectionUtils.invokeMethod(getter, details) != null;
    }

    /** Percent-encodes all but the URI's unreserved characters, so that a password is read back as it is. */
    static String encoded(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.write(c);
            } else {
                out.writeBytes(String.format("%%%02X", b & 0xFF).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
