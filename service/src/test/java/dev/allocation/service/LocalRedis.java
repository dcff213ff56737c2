package dev.allocation.service;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * The local Redis server (127.0.0.1:6379) and a client of the tests' own, to publish as another system
 * would. Tests skip without the server, unless {@code CI=true}, where they fail.
 */
final class LocalRedis implements AutoCloseable {

    static final String URL = "redis://127.0.0.1:6379";

    private final RedisClient client = RedisClient.create(URL);
    private final StatefulRedisConnection<String, String> connection = client.connect();

    /** Skips the calling test when Redis does not answer (fails it when {@code CI=true}). */
    static void requireRunning() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1_000);
        } catch (IOException e) {
            String message = "Redis is not reachable at " + URL + ": " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; with CI=true the Redis tests must run", e);
            }
            Assumptions.abort(message + "; skipping (set CI=true to fail instead)");
        }
    }

    /** Publishes {@code message} on {@code channel}; returns how many subscribers got it. */
    long publish(String channel, String message) {
        return connection.sync().publish(channel, message);
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
