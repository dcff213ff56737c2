package dev.allocation.adapters.redis;

import dev.allocation.application.AllocationUseCases;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to the Redis server that carries the service's integration events: one Lettuce client
 * (its threads shared by every connection), a publisher and any number of consumers. Connections
 * reconnect by themselves when Redis restarts, and consumers subscribe again.
 *
 * <pre>{@code
 * try (RedisBroker redis = RedisBroker.connect("redis://localhost:6379")) {
 *     AllocationService service = Bootstrap.builder().eventPublisher(redis.publisher()).build();
 *     redis.subscribe(service);   // change_batch_quantity → ChangeBatchQuantity
 *     ...
 * }
 * }</pre>
 */
public final class RedisBroker implements AutoCloseable {

    /** Where every {@code Allocated} is published, as {@code {"orderid","sku","qty","batchref"}}. */
    public static final String LINE_ALLOCATED = "line_allocated";

    /** Where other systems send {@code {"batchref","qty"}} to change a batch's quantity. */
    public static final String CHANGE_BATCH_QUANTITY = "change_batch_quantity";

    /** How long a publish may wait for Redis before it fails (and the bus retries it). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final RedisClient client;
    private final String description;
    private final RedisEventPublisher publisher;
    private final List<RedisCommandConsumer> consumers = new CopyOnWriteArrayList<>();

    private RedisBroker(RedisClient client, String description, RedisEventPublisher publisher) {
        this.client = client;
        this.description = description;
        this.publisher = publisher;
    }

    /**
     * Connects to the Redis server at {@code redisUrl} ({@code redis://[[user]:password@]host[:port][/db]}
     * or {@code rediss://} for TLS).
     *
     * @throws IllegalArgumentException when the URL is not a Redis URL
     * @throws RedisConnectionException when the server does not answer now
     */
    public static RedisBroker connect(String redisUrl) {
        Objects.requireNonNull(redisUrl, "redisUrl must not be null");
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(COMMAND_TIMEOUT);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // while Redis is away, a publish fails at once (the bus logs and retries it) instead of queueing
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        String description = describe(uri);
        client.addListener(new LoggingConnectionListener(description));
        try {
            return new RedisBroker(client, description, new RedisEventPublisher(client.connect()));
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** The publisher of integration events, for {@code Bootstrap.builder().eventPublisher(..)}. */
    public RedisEventPublisher publisher() {
        return publisher;
    }

    /**
     * Subscribes to {@value #CHANGE_BATCH_QUANTITY}: every message is handled by {@code useCases} as a
     * {@code ChangeBatchQuantity}, one at a time, in order; a malformed or refused one is logged and
     * skipped. Closed with this broker, or before.
     */
    public RedisCommandConsumer subscribe(AllocationUseCases useCases) {
        RedisCommandConsumer consumer = new RedisCommandConsumer(client.connectPubSub(), useCases);
        consumers.add(consumer);
        return consumer;
    }

    /** Closes the consumers (letting the message being handled finish), the publisher and the client. */
    @Override
    public void close() {
        for (RedisCommandConsumer consumer : consumers) {
            consumer.close();
        }
        publisher.close();
        client.shutdown(Duration.ZERO, COMMAND_TIMEOUT);
    }

    /** The server, without credentials. */
    @Override
    public String toString() {
        return "Redis " + description;
    }

    private static String describe(RedisURI uri) {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort()
                + (uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase());
    }

    /** Says in the log when Redis goes away and comes back (Lettuce reconnects by itself). */
    private static final class LoggingConnectionListener implements RedisConnectionStateListener {

        private final String server;
        private final AtomicInteger lost = new AtomicInteger();

        LoggingConnectionListener(String server) {
            this.server = server;
        }

        @Override
        public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (lost.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                log.info("Reconnected to Redis {}", server);
            } else {
                log.debug("Connected to Redis {}", server);
            }
        }

        @Override
        public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
            if (!connection.isClosed()) {   // not closed by us: Lettuce reconnects
                lost.incrementAndGet();
                log.warn("Lost a connection to Redis {}; reconnecting", server);
            }
        }

        @Override
        public void onRedisExceptionCaught(io.lettuce.core.RedisChannelHandler<?, ?> connection, Throwable cause) {
            log.warn("Redis {} connection failed: {}", server, cause.toString());
        }
    }
}
