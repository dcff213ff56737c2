package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Scenario 8: the outbox relay to Redis (stream and channel {@code line_allocated}) on PostgreSQL.
 * <ul>
 *   <li>Latency, on a fresh outbox: Allocates at a steady rate through a service with the Redis
 *       publisher, and a reader of the stream: from the command being sent to its entry arriving, p50
 *       and p99.</li>
 *   <li>Drain: a backlog of events recorded by SQL, relayed by {@link #main} in a JVM of its own with a
 *       256 MB heap until none is pending: events per second, and the heap used after a full GC.</li>
 * </ul>
 */
public final class RelayScenario {

    /** The Redis database the scenario works in (its stream names are the contract's). */
    static final String REDIS = "redis://127.0.0.1:6379/15";

    record Result(int backlog, String status, long drainMillis, double usedAfterGcMb, int rate, int measured,
                  long p50Micros, long p99Micros, long maxMicros) {
        double perSecond() {
            return backlog * 1000.0 / Math.max(1, drainMillis);
        }
    }

    private RelayScenario() {
    }

    /** The result, or null when Redis does not answer (unless {@code CI=true}: then it fails). */
    static Result run(Fixture fixture, Settings settings) throws Exception {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", 6379), 1_000);
        } catch (java.io.IOException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("Redis is not reachable; with CI=true the relay benchmark must run", e);
            }
            org.slf4j.LoggerFactory.getLogger(RelayScenario.class).warn("Redis is not reachable: skipping the relay");
            return null;
        }
        RedisClient client = RedisClient.create(REDIS);
        try (var connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del(RedisBroker.LINE_ALLOCATED);
            fixture.service(JdbiStorage.Locking.OPTIMISTIC).close();   // brings the schema up
            Histogram latency = steadyLatency(fixture, redis, settings);
            redis.del(RedisBroker.LINE_ALLOCATED);
            int backlog = settings.relayBacklog();
            seed(fixture, backlog);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + HeapScenario.HEAP, "-Xms" + HeapScenario.HEAP, "-cp",
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    RelayScenario.class.getName(), fixture.url(), fixture.user(), fixture.password(),
                    Integer.toString(backlog)).redirectErrorStream(true).start();
            String[] report = {"RELAY failed 0 0"};
            try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                output.lines().filter(line -> line.startsWith("RELAY ")).forEach(line -> report[0] = line);
            }
            if (!child.waitFor(15, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
            String[] drained = report[0].split(" ");
            redis.del(RedisBroker.LINE_ALLOCATED);
            return new Result(backlog, drained[1], Long.parseLong(drained[2]), Double.parseDouble(drained[3]),
                    settings.relayRate(), (int) latency.getTotalCount(), latency.getValueAtPercentile(50),
                    latency.getValueAtPercentile(99), latency.getMaxValue());
        } finally {
            client.shutdown();
        }
    }

    /** {@code events} pending Allocated events over 1,000 skus, as units of work would have recorded them. */
    private static void seed(Fixture fixture, int events) throws Exception {
        try (Connection connection = fixture.connect();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO outbox (event_id, sku, type, payload, state, recorded_at, attempts, next_attempt_at)
                     SELECT gen_random_uuid()::text, 'SKU-' || (i % 1000), 'Allocated',
                            'orderId=o' || i || '&sku=SKU-' || (i % 1000) || '&qty=1&batchRef=b-' || (i % 1000),
                            'P', ?, 0, ?
                     FROM generate_series(1, ?) AS i""")) {
            long now = System.currentTimeMillis();
            insert.setLong(1, now);
            insert.setLong(2, now);
            insert.setInt(3, events);
            insert.executeUpdate();
        }
        fixture.analyze();
    }

    /**
     * Allocates at {@code relayRate()} per second, one thread, and times each event from the moment its
     * command was sent to its stream entry's arrival (so the command's own time counts too).
     */
    private static Histogram steadyLatency(Fixture fixture, RedisCommands<String, String> redis, Settings settings)
            throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(3);
        try (RedisBroker broker = RedisBroker.connect(REDIS);
             AllocationService service = Bootstrap.builder().jdbc(fixture.url(), fixture.user(), fixture.password())
                     .notifications((to, message) -> { }).eventPublisher(broker.publisher()).build()) {
            service.handle(new CreateBatch("steady", "STEADY", 100_000_000, null));
            long total = (long) settings.relayRate() * settings.relayLatencySeconds();
            Thread reader = new Thread(() -> read(redis, sent, total, latency), "stream-reader");
            reader.start();
            long interval = TimeUnit.SECONDS.toNanos(1) / settings.relayRate();
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                sent.put("steady-" + i, System.nanoTime());
                service.handle(new Allocate("steady-" + i, "STEADY", 1));
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            reader.interrupt();
        }
        return latency;
    }

    /** Times every entry of the stream against when its command was sent, until {@code total} were timed. */
    private static void read(RedisCommands<String, String> redis, Map<String, Long> sent, long total,
                             Histogram latency) {
        String last = "0-0";
        while (!Thread.currentThread().isInterrupted() && latency.getTotalCount() < total) {
            List<StreamMessage<String, String>> entries = redis.xread(XReadArgs.Builder.block(Duration.ofMillis(500)),
                    XReadArgs.StreamOffset.from(RedisBroker.LINE_ALLOCATED, last));
            long now = System.nanoTime();
            for (StreamMessage<String, String> entry : entries) {
                last = entry.getId();
                Long at = sent.get(entry.getBody().get("orderid"));
                if (at != null) {
                    latency.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - at)));
                }
            }
        }
    }

    /** The child: arguments url, user, password (may be empty), events to drain. */
    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[3]);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        long started = System.nanoTime();
        String status = "ok";
        JdbiStorage storage = JdbiStorage.builder(dataSource).build();
        try (RedisBroker broker = RedisBroker.connect(REDIS);
             OutboxRelay relay = OutboxRelay.start(storage.outbox(), broker.publisher(), OutboxRelay.Settings.DEFAULT)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(12);
            while (storage.outbox().backlog().pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            status = storage.outbox().backlog().pending() == 0 ? "ok" : "unfinished";
        } catch (OutOfMemoryError e) {
            status = "OutOfMemoryError";
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.gc();
        System.out.printf(Locale.ROOT, "RELAY %s %d %.1f%n", status, millis,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
        System.out.flush();
        System.exit(0);
    }
}
