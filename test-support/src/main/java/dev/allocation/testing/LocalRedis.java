package dev.allocation.testing;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The local Redis server the tests talk to (127.0.0.1:6379), and a client of the tests' own to
 * publish, listen and read streams with, as another system would; for the tests of the Redis adapter
 * and of the service. Streams have the contract's names, so each instance works in
 * a database of its own ({@link #url}) and deletes them at close. Pub/sub channels, though, are the whole
 * server's: a test on them must tell its own messages from another run's. Tests skip without Redis,
 * unless {@code CI=true}, where they fail.
 */
public final class LocalRedis implements AutoCloseable {

    /** The local server, database 0. */
    public static final String URL = "redis://127.0.0.1:6379";
    /**
     * The streams of the wire contract: RedisBroker's LINE_ALLOCATED and CHANGE_BATCH_QUANTITY, and the
     * latter's dead letters, written out so that test support does not depend on an adapter.
     */
    private static final String[] STREAMS = {"line_allocated", "change_batch_quantity", "change_batch_quantity.dead"};

    /** Marks a database as taken by one instance, until it closes (or, should its JVM die, expires). */
    private static final String CLAIM = "allocation-test:claimed-by";
    /** Databases 1 to 14: 0 is the default of everything else, 15 the benchmarks'. */
    private static final int DATABASES = 14;

    /** The server, in this instance's database. */
    public final String url;
    private final String token = UUID.randomUUID().toString();
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private StatefulRedisConnection<byte[], byte[]> bytes;

    /**
     * Claims a database no other instance holds, in this JVM or another (so that concurrent runs never
     * share the streams), and empties its streams.
     */
    public LocalRedis() {
        List<Integer> databases = new ArrayList<>(IntStream.rangeClosed(1, DATABASES).boxed().toList());
        Collections.shuffle(databases);
        for (int database : databases) {
            RedisClient candidate = RedisClient.create(URL + "/" + database);
            StatefulRedisConnection<String, String> connection = candidate.connect();
            if ("OK".equals(connection.sync().set(CLAIM, token, SetArgs.Builder.nx().ex(Duration.ofMinutes(15))))) {
                this.url = URL + "/" + database;
                this.client = candidate;
                this.commands = connection;
                commands.sync().del(STREAMS);
                return;
            }
            connection.close();
            candidate.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        throw new IllegalStateException("Every Redis database from 1 to " + DATABASES + " is claimed by another test");
    }

    /** Commands on this instance's database. */
    public RedisCommands<String, String> commands() {
        return commands.sync();
    }

    /** Commands on this instance's database that send and read bytes as they are, for what is not UTF-8. */
    public RedisCommands<byte[], byte[]> bytes() {
        if (bytes == null) {
            bytes = client.connect(ByteArrayCodec.INSTANCE);
        }
        return bytes.sync();
    }

    /** This instance's database through another port of the loopback interface, a proxy's in front of the server. */
    public String urlThrough(int port) {
        return url.replace("127.0.0.1:6379", "127.0.0.1:" + port);
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

    /** Empties the streams and gives the database back. */
    @Override
    public void close() {
        commands.sync().del(STREAMS);
        if (token.equals(commands.sync().get(CLAIM))) {
            commands.sync().del(CLAIM);
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
