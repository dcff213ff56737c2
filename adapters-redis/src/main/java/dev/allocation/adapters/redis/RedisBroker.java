package dev.allocation.adapters.redis;

import dev.allocation.application.AllocationUseCases;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Where every {@code Allocated} goes: a pub/sub channel ({@code {"orderid","sku","qty","batchref"}}), and
     * a stream of that name (fields {@code orderid, sku, qty, batchref, event_id}).
     */
    public static final String LINE_ALLOCATED = "line_allocated";

    /**
     * Where other systems send {@code {"batchref","qty"}} to change a batch's quantity: a pub/sub channel,
     * and a stream of that name with the fields {@code batchref, qty}.
     */
    public static final String CHANGE_BATCH_QUANTITY = "change_batch_quantity";

    /** How long a command may wait for Redis before it fails (a failed publish is retried by the caller). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final RedisClient client;
    private final ClientResources resources;
    private final String server;
    private final RedisEventPublisher publisher;
    private final List<RedisPubSubConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<RedisStreamConsumer> streamConsumers = new CopyOnWriteArrayList<>();
    private final AtomicReference<CompletableFuture<Boolean>> check = new AtomicReference<>();

    private RedisBroker(RedisClient client, ClientResources resources, String server) {
        this.client = client;
        this.resources = resources;
        this.server = server;
        this.publisher = new RedisEventPublisher(client.connect());
    }

    /**
     * Connects to the Redis server at {@code redisUrl} ({@code redis://[[user]:password@]host[:port][/db]}
     * or {@code rediss://} for TLS).
     *
     * @throws IllegalArgumentException when the URL is not a Redis URL
     * @throws RedisConnectionException when the server does not answer now
     */
    public static RedisBroker connect(String redisUrl) {
        return connect(redisUrl, CommandLatencyRecorder.disabled());
    }

    /**
     * {@link #connect(String)}, with the latency of every Redis command recorded by {@code latencies}
     * (for example Lettuce's Micrometer recorder, which {@code allocation-micrometer} hands over).
     */
    public static RedisBroker connect(String redisUrl, CommandLatencyRecorder latencies) {
        RedisURI uri = RedisURI.create(Objects.requireNonNull(redisUrl, "redisUrl must not be null"));
        Objects.requireNonNull(latencies, "latencies must not be null");
        uri.setTimeout(TIMEOUT);
        // Lettuce waits up to 30 s between reconnect attempts by default: back within 2 s of Redis instead
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(latencies)
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // while Redis is away a publish fails at once, to be retried, instead of queueing
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                .build());
        String server = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort()
                + (uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase());   // without credentials
        client.addListener(connectionLog(server));
        try {
            return new RedisBroker(client, resources, server);
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            if (e instanceof RedisConnectionException) {
                // Lettuce's own message names the socket only; the reason (refused, WRONGPASS, TLS) is deeper
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                throw new RedisConnectionException("Cannot connect to Redis at " + server + ": " + root.getMessage(), e);
            }
            throw e;
        }
    }

    /** The publisher of integration events, for {@code Bootstrap.builder().eventPublisher(..)}. */
    public RedisEventPublisher publisher() {
        return publisher;
    }

    /**
     * Subscribes to {@value #CHANGE_BATCH_QUANTITY}: every message is handled by {@code useCases} as a
     * {@code ChangeBatchQuantity} ({@link RedisPubSubConsumer}). Closed with this broker, or before.
     */
    public RedisPubSubConsumer subscribe(AllocationUseCases useCases) {
        RedisPubSubConsumer consumer = new RedisPubSubConsumer(client.connectPubSub(ByteArrayCodec.INSTANCE), useCases);
        consumers.add(consumer);
        return consumer;
    }

    /**
     * Reads the stream {@value #CHANGE_BATCH_QUANTITY} in the consumer group {@value RedisStreamConsumer#GROUP},
     * as a consumer of its own: every entry {@code batchref, qty} is handled by {@code useCases} as a
     * {@code ChangeBatchQuantity} and acknowledged after it committed; refused entries go to
     * {@value RedisStreamConsumer#DEAD_STREAM} ({@link RedisStreamConsumer}). Run it as the only consumer
     * among the instances (under {@code AllocationService.runExclusively}): it first claims whatever its
     * predecessors left pending, and keeps the stream's order. Closed with this broker, or before.
     *
     * @param claimIdle how long an entry stays pending on another consumer before this one claims it
     */
    public AutoCloseable consumeStream(AllocationUseCases useCases, Duration claimIdle) {
        String name = "allocation-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        RedisStreamConsumer consumer = new RedisStreamConsumer(client.connect(RawBytesCodec.INSTANCE), useCases, name, claimIdle);
        streamConsumers.add(consumer);
        return consumer;
    }

    /**
     * Whether Redis answers now (a PING within a second): for a readiness check. While it does not, events
     * wait in the outbox and commands from Redis wait in their stream; nothing is lost.
     */
    public boolean isHealthy() {
        return answers().join();
    }

    /**
     * {@link #isHealthy()} without waiting, so that a caller can check Redis and something else at once.
     * Checks asked for while one is in flight share its answer, so that probes never pile up behind a
     * Redis that does not answer. It never completes exceptionally.
     */
    public CompletableFuture<Boolean> answers() {
        return check.updateAndGet(running -> running != null && !running.isDone() ? running
                : publisher.answers(Duration.ofSeconds(1)));
    }

    /** Closes the consumers (letting the messages being handled finish), then the client and its connections. */
    @Override
    public void close() {
        consumers.forEach(RedisPubSubConsumer::close);
        streamConsumers.forEach(RedisStreamConsumer::close);
        client.shutdown(Duration.ZERO, TIMEOUT);
        resources.shutdown(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The server, without credentials. */
    @Override
    public String toString() {
        return "Redis " + server;
    }

    /** Says in the log when Redis goes away and comes back (Lettuce reconnects by itself). */
    private static RedisConnectionStateListener connectionLog(String server) {
        AtomicInteger lost = new AtomicInteger();   // connections lost and not back yet
        return new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (lost.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    log.info("Reconnected to Redis {}", server);
                } else {
                    log.debug("Connected to Redis {}", server);
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (!connection.isClosed()) {   // not closed by us: Lettuce reconnects
                    lost.incrementAndGet();
                    log.warn("Lost a connection to Redis {}; reconnecting", server);
                }
            }

            @Override
            public void onRedisExceptionCaught(RedisChannelHandler<?, ?> connection, Throwable cause) {
                log.warn("Redis {} connection failed: {}", server, cause.toString());
            }
        };
    }
}
