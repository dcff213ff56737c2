package dev.allocation.service;

import dev.allocation.adapters.http.Health;
import dev.allocation.adapters.redis.RedisBroker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code /health} and {@code /health/ready} say: the service can serve while its storage answers.
 * Redis, when configured, is a detail of the answer ({@code "redis": "up" | "down"}) and of
 * {@code /metrics}, never a reason to take the instance out of a load balancer: while Redis is away,
 * every command still commits, its events wait in the outbox, and messages from Redis wait in their
 * stream.
 */
final class Readiness implements Supplier<Health> {

    private final BooleanSupplier storage;
    private final RedisBroker redis;   // null: none configured
    private final AtomicReference<CompletableFuture<Boolean>> redisCheck = new AtomicReference<>();

    Readiness(BooleanSupplier storage, RedisBroker redis) {
        this.storage = storage;
        this.redis = redis;
    }

    /** Ready when the storage answers; Redis checked meanwhile, each within its own bound (a second). */
    @Override
    public Health get() {
        CompletableFuture<Boolean> redisAnswers = redis == null ? null : redisCheck();
        boolean storageAnswers = storage.getAsBoolean();
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("storage", storageAnswers);
        if (redisAnswers != null) {
            checks.put("redis", answer(redisAnswers));
        }
        return new Health(storageAnswers, checks);
    }

    /** Whether Redis answers now (false when none is configured): the broker's gauge. */
    boolean redisAnswers() {
        return redis != null && answer(redisCheck());
    }

    /** A PING; checks asked for while one is running share its answer, so that probes never pile up. */
    private CompletableFuture<Boolean> redisCheck() {
        return redisCheck.updateAndGet(running -> running != null && !running.isDone() ? running
                : CompletableFuture.supplyAsync(redis::isHealthy, Readiness::onDaemonThread));
    }

    private static boolean answer(CompletableFuture<Boolean> check) {
        try {
            return check.join();   // RedisBroker.isHealthy waits a second at most, and never throws
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void onDaemonThread(Runnable task) {
        Thread thread = new Thread(task, "allocation-redis-check");
        thread.setDaemon(true);
        thread.start();
    }
}
