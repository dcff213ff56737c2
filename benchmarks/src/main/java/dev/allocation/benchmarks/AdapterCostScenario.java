package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.domain.commands.Allocate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the adapter's time goes, measured rather than guessed: the JDBC calls the service makes per
 * Allocate (through {@link JdbcTrace}), what one isolation-level read costs, and, while the adapter
 * still reads the isolation level on every unit on PostgreSQL, a what-if that answers that call from
 * memory. Diagnostic only: the bars are judged on scenario 1.
 */
final class AdapterCostScenario {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** JDBC calls per Allocate of the service on one store, by kind. */
    record Calls(Store store, int allocations, Map<String, Double> perAllocate) {
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

    /** Everything measured on one store. */
    record Result(Calls calls, double isolationQueryMicros, List<WhatIf> whatIfs) {
    }

    private AdapterCostScenario() {
    }

    static Result run(Fixture fixture, Settings settings) throws Exception {
        Calls calls = calls(fixture, settings);
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
                            ThroughputScenario.throughRawSql(fixture, settings, threads, null)),
                            settings.rounds(), settings.warmup(), settings.sliceWarmup(), settings.slice());
                    whatIfs.add(new WhatIf(fixture.store(), threads, results.get(0), results.get(1), results.get(2)));
                }
            }
        }
        return new Result(calls, isolationMicros, whatIfs);
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
            return new Calls(fixture.store(), n, perAllocate);
        }
    }
}
