package dev.allocation.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link LocalRedis} for each test that asks for one, and what the test connected to it, closed after
 * the test: the set-up every test on Redis shares, in one place. The database is claimed at the first
 * {@link #local()} of a test, so that a test of the class that needs no Redis never skips for want of it.
 * Register it on an instance field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final RedisPerTest redis = new RedisPerTest();
 *
 * @BeforeEach
 * void connect() {
 *     broker = redis.closing(RedisBroker.connect(redis.local().url));
 * }
 * }</pre>
 *
 * <p>Without a server the test is skipped, or fails when {@code CI=true} ({@link LocalRedis#requireRunning()}).
 */
public final class RedisPerTest implements AfterEachCallback {

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private LocalRedis local;

    /** This test's Redis database, claimed at the first call. */
    public LocalRedis local() {
        if (local == null) {
            LocalRedis.requireRunning();
            local = new LocalRedis();
        }
        return local;
    }

    /** Closes {@code resource} after the test, before the database is given back; the last given, first. */
    public <T extends AutoCloseable> T closing(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (local != null) {
            local.close();
            local = null;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
