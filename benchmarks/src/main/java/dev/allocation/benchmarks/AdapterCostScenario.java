package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the adapter's time goes, measured rather than guessed: the JDBC calls the service makes per
 * Allocate (through {@link JdbcTrace}), the client CPU one Allocate costs through the service, the
 * reference and the reference through the pool, the commits per Allocate of the service and of the
 * reference in each shape, what one isolation-level read costs, and, while the adapter
 * still reads the isolation level on every unit on PostgreSQL, a what-if that answers that call from
 * memory. Diagnostic only, but for the commits per Allocate: the throughput targets are judged on
 * scenario 1.
 */
final class AdapterCostScenario {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * JDBC calls per Allocate of the service on one store, by kind; and the commits per Allocate (explicit
     * ones and writes in autocommit) of the service and of the reference in each of its shapes.
     */
    record Calls(Store store, int allocations, Map<String, Double> perAllocate, double commits,
                 Map<RawSession.Shape, Double> rawCommits) {
        /** Calls that reach the server on PostgreSQL's driver. */
        double roundTrips() {
            return perAllocate.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("execute") || JdbcTrace.PG_ROUND_TRIPS.contains(e.getKey()))
                    .filter(e -> !e.getKey().startsWith("Connection.rollback"))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }

    /** One thread count: the service as it is, the what-if, and the reference, back to back. */
    record WhatIf(Store store, int threads, LoadResult asIs, LoadResult isolationCached, LoadResult raw) {
    }

    /**
     * Client CPU per Allocate (the calling thread's CPU time, which on embedded H2 includes the database's
     * own work), median of rounds, microseconds: what caps throughput once the cores are saturated.
     */
    record Cpu(Store store, double service, double raw, double pooled, int rounds, int perRound) {
    }

    /** Everything measured on one store. */
    record Result(Calls calls, double isolationQueryMicros, Cpu cpu, List<WhatIf> whatIfs) {
    }

    private AdapterCostScenario() {
    }

    static Result run(Fixture fixture, Settings settings) throws Exception {
        Calls calls = calls(fixture, settings);
        Cpu cpu = cpu(fixture, settings);
        // the what-if answers only a question the adapter still raises: does it ask every time?
        boolean whatIf = calls.perAllocate().getOrDefault("Connection.getTransactionIsolation", 0.0) > 0
                && fixture.store() == Store.POSTGRESQL;
        double isolationMicros;
        try (RawSession raw = fixture.raw()) {
            for (int i = 0; i < 200; i++) {
                raw.showIsolation();
            }
            int n = 2_000;
            long began = System.nanoTime();
            for (int i = 0; i < n; i++) {
                raw.showIsolation();
            }
            isolationMicros = (System.nanoTime() - began) / 1e3 / n;
        }
        List<WhatIf> whatIfs = new ArrayList<>();
        if (whatIf) {
            for (int threads : settings.whatIfThreads()) {
                try (Fixture.Counted asIs = fixture.counted(Locking.OPTIMISTIC, null);
                     Fixture.Counted cached = fixture.counted(Locking.OPTIMISTIC, JdbcTrace.isolationCached())) {
                    List<LoadResult> results = LoadDriver.interleaved(List.of(
                            ThroughputScenario.throughService(fixture, asIs.service(), settings, threads,
                                    fixture + " service as is"),
                            ThroughputScenario.throughService(fixture, cached.service(), settings, threads,
                                    fixture + " service, isolation cached"),
                            ThroughputScenario.throughRawSql(fixture, settings, threads, null,
                                    RawSession.Shape.ONE_TRANSACTION)),
                            settings.rounds(), settings.warmup(), settings.sliceWarmup(), settings.slice());
                    whatIfs.add(new WhatIf(fixture.store(), threads, results.get(0), results.get(1), results.get(2)));
                }
            }
        }
        return new Result(calls, isolationMicros, cpu, whatIfs);
    }

    private static Cpu cpu(Fixture fixture, Settings settings) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String prefix = "cpu" + RUNS.incrementAndGet();
        int skus = 100;
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             HikariDataSource pool = Fixture.pool(fixture.database());
             RawSession raw = fixture.raw()) {
            PooledJdbcSession pooled = new PooledJdbcSession(pool, fixture.database().dialect());
            Seeder.skus(fixture, service, prefix + "s", skus, 1_000_000_000);
            Seeder.skus(fixture, null, prefix + "r", skus, 1_000_000_000);
            Seeder.skus(fixture, null, prefix + "p", skus, 1_000_000_000);
            long[] order = new long[1];
            List<ThroughputScenario.Op> ops = List.of(
                    () -> service.handle(new Allocate(prefix + "s-" + order[0], Seeder.sku(prefix + "s",
                            (int) (order[0]++ % skus)), 1)),
                    () -> ThroughputScenario.allocateRetrying(raw, prefix + "r-" + order[0],
                            Seeder.sku(prefix + "r", (int) (order[0]++ % skus)), false),
                    () -> pooled.allocate(prefix + "p-" + order[0], Seeder.sku(prefix + "p", (int) (order[0]++ % skus))));
            for (ThroughputScenario.Op op : ops) {   // warm-up
                for (int i = 0; i < settings.cpuOpsPerRound() * 5; i++) {
                    op.run();
                }
            }
            List<List<Double>> samples = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int round = 0; round < settings.cpuRounds(); round++) {
                for (int v = 0; v < ops.size(); v++) {
                    long began = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < settings.cpuOpsPerRound(); i++) {
                        ops.get(v).run();
                    }
                    samples.get(v).add((threads.getCurrentThreadCpuTime() - began) / 1e3 / settings.cpuOpsPerRound());
                }
            }
            return new Cpu(fixture.store(), median(samples.get(0)), median(samples.get(1)), median(samples.get(2)),
                    settings.cpuRounds(), settings.cpuOpsPerRound());
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static Calls calls(Fixture fixture, Settings settings) throws Exception {
        JdbcTrace trace = JdbcTrace.counting();
        try (Fixture.Counted counted = fixture.counted(Locking.OPTIMISTIC, trace)) {
            String prefix = "c" + RUNS.incrementAndGet();
            Seeder.skus(fixture, counted.service(), prefix, 10, 1_000_000_000);
            for (int i = 0; i < 50; i++) {
                counted.service().handle(new Allocate(prefix + "-warm-" + i, Seeder.sku(prefix, i % 10), 1));
            }
            trace.reset();
            int n = settings.traceAllocations();
            for (int i = 0; i < n; i++) {
                counted.service().handle(new Allocate(prefix + "-" + i, Seeder.sku(prefix, i % 10), 1));
            }
            Map<String, Double> perAllocate = new LinkedHashMap<>();
            trace.snapshot().forEach((call, count) -> perAllocate.put(call, (double) count / n));
            double commits = (double) trace.commits() / n;
            Map<RawSession.Shape, Double> rawCommits = new java.util.EnumMap<>(RawSession.Shape.class);
            for (RawSession.Shape shape : RawSession.Shape.values()) {
                JdbcTrace rawTrace = JdbcTrace.counting();
                String rawPrefix = "c" + RUNS.incrementAndGet();
                Seeder.skus(fixture, null, rawPrefix, 10, 1_000_000_000);
                try (RawSession raw = new RawSession(rawTrace.wrap(fixture.database().connect()),
                        fixture.database().dialect(), shape)) {
                    rawTrace.reset();
                    for (int i = 0; i < n; i++) {
                        ThroughputScenario.allocateRetrying(raw, rawPrefix + "-" + i, Seeder.sku(rawPrefix, i % 10), false);
                    }
                    rawCommits.put(shape, (double) rawTrace.commits() / n);
                }
            }
            return new Calls(fixture.store(), n, perAllocate, commits, rawCommits);
        }
    }
}
