package dev.allocation.service;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The local Redis server (127.0.0.1:6379) and a client of the tests' own, to publish, listen and read
 * streams as another system would. Streams have the contract's names, so each instance works in a
 * database picked at random ({@link #url}) and deletes them at close. Tests skip without the server,
 * unless {@code CI=true}, where they fail.
 */
final class LocalRedis implements AutoCloseable {

    static final String URL = "redis://127.0.0.1:6379";
    private static final String[] STREAMS = {"line_allocated", "change_batch_quantity", "change_batch_quantity.dead"};

    /** The server, in this instance's database: give it to the service. */
    final String url = URL + "/" + ThreadLocalRandom.current().nextInt(1, 16);
    private final RedisClient client = RedisClient.create(url);
    private final StatefulRedisConnection<String, String> connection = client.connect();

    LocalRedis() {
        connection.sync().del(STREAMS);
    }

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

    /** Commands on this instance's database. */
    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** Starts collecting the messages published on {@code channel}. */
    BlockingQueue<String> listen(String channel) {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                received.add(message);
            }
        });
        pubSub.sync().subscribe(channel);
        return received;
    }

    @Override
    public void close() {
        connection.sync().del(STREAMS);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
