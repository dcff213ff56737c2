package dev.allocation.adapters.redis.testing;

import dev.allocation.adapters.redis.RedisBroker;
import io.lettuce.core.KillArgs;
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
 * The local Redis server the tests talk to (127.0.0.1:6379), and a client of the tests' own to
 * publish, listen and read streams with, as another system would; for the tests of this module and of
 * the service (this package is the module's test jar). Streams have the contract's names, so each instance works in
 * a database picked at random ({@link #url}) and deletes them at close. Tests skip without Redis,
 * unless {@code CI=true}, where they fail.
 */
public final class LocalRedis implements AutoCloseable {

    public static final String URL = "redis://127.0.0.1:6379";
    private static final String[] STREAMS = {RedisBroker.LINE_ALLOCATED, RedisBroker.CHANGE_BATCH_QUANTITY,
            RedisBroker.CHANGE_BATCH_QUANTITY + ".dead"};

    /** The server, in this instance's database. */
    public final String url = URL + "/" + ThreadLocalRandom.current().nextInt(1, 16);
    private final RedisClient client = RedisClient.create(url);
    private final StatefulRedisConnection<String, String> commands = client.connect();

    public LocalRedis() {
        commands.sync().del(STREAMS);
    }

    /** Commands on this instance's database. */
    public RedisCommands<String, String> commands() {
        return commands.sync();
    }

    /** Skips the calling test when Redis does not answer (fails it when {@code CI=true}). */
    public static void requireRunning() {
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

    /** Publishes like another system would; returns how many subscribers got it. */
    public long publish(String channel, String message) {
        return commands.sync().publish(channel, message);
    }

    /** Kills every pub/sub connection of the server, as a Redis restart would. */
    public void killPubSubClients() {
        commands.sync().clientKill(KillArgs.Builder.typePubsub());
    }

    /** Starts collecting the messages published on {@code channel}. */
    public BlockingQueue<String> listen(String channel) {
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
        commands.sync().del(STREAMS);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
