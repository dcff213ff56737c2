package dev.allocation.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.adapters.kafka.KafkaBroker;
import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.application.outbox.OutboxRelay;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.*;
import io.lettuce.core.*;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * Scenario 7: the outbox relay to Redis (stream and channel {@code line_allocated}) on PostgreSQL. Latency, on
 * a fresh outbox: Allocates at a steady rate through a service with the Redis publisher, each timed from its
 * command being sent to its entry arriving on the stream. Drain: a backlog of events recorded by SQL, relayed
 * by {@link #main} in a {@link ChildJvm} until none is pending: events per second, heap used after a full GC;
 * then the same backlog drained by two such relays at once, with how often one of them waited on a lock.
 */
public final class RelayScenario {

    /** The Redis database the scenario works in (its stream names are the contract's). */
    static final String REDIS = "redis://127.0.0.1:6379/15";

    record Result(int backlog, ChildJvm.Step drain, ChildJvm.Step twoDrain, long twoEntries, LockWaits lockWaits, int rate,
                  int measured, long p50Micros, long p99Micros, long maxMicros) {
        double perSecond() {
            return backlog * 1000.0 / Math.max(1, drain.millis());
        }

        double twoPerSecond() {
            return backlog * 1000.0 / Math.max(1, twoDrain.millis());
        }
    }

    /** How often, sampled while two relays drained, a backend of theirs waited on a lock. */
    record LockWaits(int samples, int waiting) {
    }

    private RelayScenario() {
    }

    /** The result, or null when Redis does not answer (unless {@code CI=true}: then it fails). */
    static Result run(Fixture fixture, Settings settings) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1_000);
        } catch (IOException e) {
            BenchmarkSuite.skipUnlessCi("Redis is not reachable at 127.0.0.1:6379: the relay");
            return null;
        }
        RedisClient client = RedisClient.create(REDIS);
        try (var connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del(RedisBroker.LINE_ALLOCATED);
            fixture.service(Locking.OPTIMISTIC).close();   // brings the schema up
            Histogram latency = steadyLatency(fixture, redis, settings);
            redis.del(RedisBroker.LINE_ALLOCATED);
            int backlog = settings.relayBacklog();
            record(fixture, backlog);
            ChildJvm.Step drain = ChildJvm.run(RelayScenario.class, fixture, backlog).step("drain");
            redis.del(RedisBroker.LINE_ALLOCATED);
            record(fixture, backlog);
            var first = CompletableFuture.supplyAsync(() -> drainInChild(fixture, backlog));
            var second = CompletableFuture.supplyAsync(() -> drainInChild(fixture, backlog));
            LockWaits lockWaits = sampleLockWaits(fixture, CompletableFuture.allOf(first, second));
            ChildJvm.Step one = first.join();
            ChildJvm.Step other = second.join();
            ChildJvm.Step twoDrain = new ChildJvm.Step("two", one.ok() && other.ok() ? "ok" : "unfinished",
                    Math.max(one.millis(), other.millis()), Math.max(one.usedAfterGcMb(), other.usedAfterGcMb()));
            long twoEntries = redis.xlen(RedisBroker.LINE_ALLOCATED);   // more than the backlog: some published twice
            redis.del(RedisBroker.LINE_ALLOCATED);
            return new Result(backlog, drain, twoDrain, twoEntries, lockWaits, settings.relayRate(), (int) latency.getTotalCount(),
                    latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue());
        } finally {
            client.shutdown();
        }
    }

    /** A backlog of {@code backlog} pending events over 1,000 skus in an emptied outbox, as units of work record them. */
    static void record(Fixture fixture, int backlog) throws Exception {
        fixture.execute("TRUNCATE outbox");
        long now = System.currentTimeMillis();
        fixture.execute("""
                INSERT INTO outbox (event_id, sku, sku_sequence, type, payload, state, recorded_at, attempts,
                                    next_attempt_at)
                SELECT gen_random_uuid()::text, 'SKU-' || (i % 1000), i, 'Allocated',
                       'orderId=o' || i || '&sku=SKU-' || (i % 1000) || '&qty=1&batchRef=b-' || (i % 1000),
                       'P', ?, 0, ?
                FROM generate_series(1, ?) AS i""", now, now, backlog);
        fixture.settle();
    }

    private static ChildJvm.Step drainInChild(Fixture fixture, int backlog) {
        try {
            return ChildJvm.run(RelayScenario.class, fixture, backlog).step("drain");
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /**
     * Every 10 ms until {@code done}, whether any backend of the database waits on a lock (a claim behind
     * another's, as the one row of {@code outbox_claims} made them before buckets).
     */
    private static LockWaits sampleLockWaits(Fixture fixture, CompletableFuture<?> done) throws Exception {
        int samples = 0;
        int waiting = 0;
        try (var connection = fixture.connect(null); var statement = connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            while (!done.isDone()) {
                try (var rs = statement.executeQuery()) {
                    rs.next();
                    samples++;
                    waiting += rs.getInt(1) > 0 ? 1 : 0;
                }
                Thread.sleep(10);
            }
        }
        return new LockWaits(samples, waiting);
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
             AllocationService service = fixture.service(Locking.OPTIMISTIC, b -> b.eventPublisher(broker.publisher()))) {
            service.handle(new CreateBatch("steady", "STEADY", 100_000_000, null));
            long total = (long) settings.relayRate() * settings.relayLatencySeconds();
            Thread reader = new Thread(() -> read(redis, sent, total, latency), "stream-reader");
            reader.start();
            allocateSteadily(service, settings.relayRate(), total, "steady-", i -> "STEADY", sent);
            reader.join(TimeUnit.SECONDS.toMillis(30));
            reader.interrupt();
        }
        return latency;
    }

    /**
     * Sends {@code total} Allocates at {@code rate} per second, one thread: order {@code prefix + i} of sku
     * {@code skuOf(i)}, each noted in {@code sent} with the moment it was sent.
     */
    static void allocateSteadily(AllocationService service, int rate, long total, String prefix,
                                 LongFunction<String> skuOf, Map<String, Long> sent) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            LockSupport.parkNanos(start + i * interval - System.nanoTime());
            sent.put(prefix + i, System.nanoTime());
            service.handle(new Allocate(prefix + i, skuOf.apply(i), 1));
        }
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

    /**
     * The child: arguments url, user, password (may be empty), events to drain, and Kafka's bootstrap
     * servers to relay to Kafka (scenario 9) instead of Redis. Its storage is on a HikariCP pool, as a
     * service's is: a data source that connects anew each time would time PostgreSQL's connection setup
     * (a backend started and logged in for every claim and every mark), not the relay.
     */
    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setPassword(args[2]);
        config.setMaximumPoolSize(2);
        HikariDataSource dataSource = new HikariDataSource(config);
        long started = System.nanoTime();
        String status;
        JdbiStorage storage = JdbiStorage.builder(dataSource).build();
        try (AutoCloseable broker = args.length > 4 ? KafkaBroker.connect(args[4], new Properties()) : RedisBroker.connect(REDIS);
             OutboxRelay relay = OutboxRelay.start(storage.outbox(), broker instanceof KafkaBroker kafka ? kafka.publisher()
                     : ((RedisBroker) broker).publisher(), OutboxRelay.Settings.DEFAULT)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(12);
            while (anyPending(dataSource) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            status = anyPending(dataSource) ? "unfinished" : "ok";
        } catch (OutOfMemoryError e) {
            status = "OutOfMemoryError";
        }
        ChildJvm.report("drain", status, started);
        System.exit(0);
    }

    /**
     * Whether any event is still pending. Not {@code backlog()}: its count of the pending rows, asked ten
     * times a second, would cost the database in proportion to the backlog and slow the drain it times.
     */
    private static boolean anyPending(DataSource dataSource) throws SQLException {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'P')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
