package dev.allocation.spring.boot;

import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.bootstrap.AllocationService;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * The inbound Redis consumers of {@code change_batch_quantity} (pub/sub and stream), each run by one
 * instance at a time among those sharing the database ({@code AllocationService.runExclusively}), as
 * the service runs them. Phase {@link AllocationLifecycle#CONSUMERS_PHASE}: started once the web server
 * is up, stopped before its graceful shutdown, so that no new command arrives while requests drain.
 */
public class AllocationRedisConsumers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AllocationRedisConsumers.class);

    private final RedisBroker redis;
    private final ObjectProvider<AllocationService> service;
    private final Duration claimIdle;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    AllocationRedisConsumers(RedisBroker redis, ObjectProvider<AllocationService> service, Duration claimIdle) {
        this.redis = redis;
        this.service = service;
        this.claimIdle = claimIdle;
    }

    @Override
    public synchronized void start() {
        AllocationService allocation = service.getObject();
        running.push(allocation.runExclusively(RedisBroker.CHANGE_BATCH_QUANTITY, () -> redis.subscribe(allocation)));
        running.push(allocation.runExclusively(RedisBroker.CHANGE_BATCH_QUANTITY + " stream",
                () -> redis.consumeStream(allocation, claimIdle)));
    }

    @Override
    public synchronized void stop() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                log.warn("Stopping a Redis consumer failed", e);
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return !running.isEmpty();
    }

    @Override
    public int getPhase() {
        return AllocationLifecycle.CONSUMERS_PHASE;
    }
}
