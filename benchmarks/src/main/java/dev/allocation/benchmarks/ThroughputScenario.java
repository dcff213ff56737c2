package dev.allocation.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 1: Allocate end to end through {@code AllocationService} (bus, unit of work, version check,
 * read model) at 1, 2, 4 and 8 client threads over many skus, beside the raw-SQL reference on the same
 * database, the variants interleaved in slices. Each variant allocates on skus of its own (one
 * warehouse batch each, never out of stock), seeded fresh for each thread count. At one thread, the
 * reference also runs in the previous two-transaction shape; on H2 files, {@link #durability} compares
 * the service's durable setting with H2's default write delay.
 */
final class ThroughputScenario {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * One thread count on one store: the service and, for JDBC stores, the reference (one transaction
     * per Allocate, as the adapter), the same statements through the pool ({@link PooledJdbcSession}),
     * which separates the price of the access path from that of everything else, and at one thread the
     * reference in the previous shape, two transactions ({@code twoTransactions}, else null).
     */
    record Row(Store store, int threads, LoadResult service, LoadResult raw, LoadResult pooled,
               LoadResult twoTransactions) {
        /** Service throughput over the reference's; null without a reference. */
        Double ratio() {
            return raw == null || raw.throughput() == 0 ? null : service.throughput() / raw.throughput();
        }

        /** The lowest and highest ratio of one slice of the service to the reference's slice next to it. */
        double[] ratioRange() {
            return range(service, raw);
        }
    }

    /**
     * H2 files at one thread count: the service and the reference on files written before each commit
     * returns ({@code WRITE_DELAY=0}, the service's setting) and on files with H2's default write delay;
     * the write delay of each database as H2 reported it after the run.
     */
    record Durability(int threads, int deferredMillis, LoadResult durableService, LoadResult durableRaw,
                      LoadResult deferredService, LoadResult deferredRaw, String durableSetting,
                      String deferredSetting) {
    }

    /** Throughput of {@code a} over {@code b}. */
    static double ratio(LoadResult a, LoadResult b) {
        return b.throughput() == 0 ? 0 : a.throughput() / b.throughput();
    }

    /** The lowest and highest ratio of one slice of {@code a} to {@code b}'s slice of the same round. */
    static double[] range(LoadResult a, LoadResult b) {
        double low = Double.MAX_VALUE;
        double high = 0;
        for (int i = 0; i < Math.min(a.slices().size(), b.slices().size()); i++) {
            double ratio = a.slices().get(i) / b.slices().get(i);
            low = Math.min(low, ratio);
            high = Math.max(high, ratio);
        }
        return new double[] {low, high};
    }

    private ThroughputScenario() {
    }

    static List<Row> run(Fixture fixture, Settings settings, AtomicBoolean rawServerPrepared) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             HikariDataSource pool = fixture.store().isJdbc() ? Fixture.pool(fixture.database()) : null) {
            for (int threads : settings.threads()) {
                List<LoadDriver.Variant> variants = new ArrayList<>();
                variants.add(throughService(fixture, service, settings, threads, fixture + " service"));
                if (fixture.store().isJdbc()) {
                    variants.add(throughRawSql(fixture, settings, threads, rawServerPrepared,
                            RawSession.Shape.ONE_TRANSACTION));
                    variants.add(throughPool(fixture, pool, settings, threads));
                    if (threads == 1) {
                        variants.add(throughRawSql(fixture, settings, threads, rawServerPrepared,
                                RawSession.Shape.TWO_TRANSACTIONS));
                    }
                }
                List<LoadResult> results = LoadDriver.interleaved(variants, settings.rounds(), settings.warmup(),
                        settings.sliceWarmup(), settings.slice());
                rows.add(new Row(fixture.store(), threads, results.get(0), results.size() > 1 ? results.get(1) : null,
                        results.size() > 2 ? results.get(2) : null, results.size() > 3 ? results.get(3) : null));
            }
        }
        return rows;
    }

    /**
     * What durability costs on H2 files: at one thread and at the most threads of the run, the service
     * and the reference on {@code durable} (files written before each commit returns, as the service
     * opens them) and on new files with H2's default write delay (500 ms), all four interleaved.
     */
    static List<Durability> durability(Fixture durable, Settings settings, Path workDirectory) throws Exception {
        int deferredMillis = 500;
        List<Durability> rows = new ArrayList<>();
        try (Fixture deferred = Fixture.h2File(workDirectory, deferredMillis);
             AllocationService durableService = durable.service(Locking.OPTIMISTIC);
             AllocationService deferredService = deferred.service(Locking.OPTIMISTIC)) {
            int most = settings.threads().get(settings.threads().size() - 1);
            for (int threads : most == 1 ? List.of(1) : List.of(1, most)) {
                List<LoadResult> results = LoadDriver.interleaved(List.of(
                        throughService(durable, durableService, settings, threads, durable + " service, WRITE_DELAY=0"),
                        throughRawSql(durable, settings, threads, null, RawSession.Shape.ONE_TRANSACTION),
                        throughService(deferred, deferredService, settings, threads,
                                deferred + " service, WRITE_DELAY=" + deferredMillis),
                        throughRawSql(deferred, settings, threads, null, RawSession.Shape.ONE_TRANSACTION)),
                        settings.rounds(), settings.warmup(), settings.sliceWarmup(), settings.slice());
                rows.add(new Durability(threads, deferredMillis, results.get(0), results.get(1), results.get(2),
                        results.get(3), durable.database().h2Setting("WRITE_DELAY"),
                        deferred.database().h2Setting("WRITE_DELAY")));
            }
        }
        return rows;
    }

    /** Allocates through {@code service} on {@link Settings#skus()} fresh skus, one new order each time. */
    static LoadDriver.Variant throughService(Fixture fixture, AllocationService service, Settings settings,
                                             int threads, String label) throws Exception {
        String prefix = "t" + RUNS.incrementAndGet();
        Seeder.skus(fixture, service, prefix, settings.skus(), 1_000_000_000);
        return new LoadDriver.Variant(label, threads, round -> index -> {
            SplittableRandom random = new SplittableRandom(31L * round + index);
            return (sequence, measured) -> {
                service.handle(new Allocate(prefix + "-" + round + "-" + index + "-" + sequence,
                        Seeder.sku(prefix, random.nextInt(settings.skus())), 1));
                return 0;
            };
        });
    }

    /**
     * The same through the raw reference committing in {@code shape}, one connection per client; notes
     * whether PostgreSQL prepared it.
     */
    static LoadDriver.Variant throughRawSql(Fixture fixture, Settings settings, int threads,
                                            AtomicBoolean serverPrepared, RawSession.Shape shape) throws Exception {
        String prefix = "t" + RUNS.incrementAndGet();
        Seeder.skus(fixture, null, prefix, settings.skus(), 1_000_000_000);
        return new LoadDriver.Variant(fixture + " raw SQL " + shape, threads, round -> index -> {
            SplittableRandom random = new SplittableRandom(31L * round + index);
            RawSession raw = fixture.raw(shape);
            return new LoadDriver.Client() {
                @Override
                public int run(long sequence, boolean measured) throws Exception {
                    return allocateRetrying(raw, prefix + "-" + round + "-" + index + "-" + sequence,
                            Seeder.sku(prefix, random.nextInt(settings.skus())), false);
                }

                @Override
                public void close() throws Exception {
                    if (serverPrepared != null && !raw.serverPrepared()) {
                        serverPrepared.set(false);
                    }
                    raw.close();
                }
            };
        });
    }

    /** The reference's statements through a pool like the service's, prepared per use. */
    static LoadDriver.Variant throughPool(Fixture fixture, HikariDataSource pool, Settings settings,
                                                  int threads) throws Exception {
        String prefix = "p" + RUNS.incrementAndGet();
        Seeder.skus(fixture, null, prefix, settings.skus(), 1_000_000_000);
        PooledJdbcSession session = new PooledJdbcSession(pool, fixture.database().dialect());
        return new LoadDriver.Variant(fixture + " raw SQL through the pool", threads, round -> index -> {
            SplittableRandom random = new SplittableRandom(31L * round + index);
            return (sequence, measured) -> session.allocate(prefix + "-" + round + "-" + index + "-" + sequence,
                    Seeder.sku(prefix, random.nextInt(settings.skus())));
        });
    }

    /** One operation, for loops that time it themselves. */
    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    /** A raw Allocate, retried at once as long as it loses races; returns how many times it lost. */
    static int allocateRetrying(RawSession raw, String orderId, String sku, boolean forUpdate) throws Exception {
        int lost = 0;
        while (true) {
            RawSession.Outcome outcome = raw.allocate(orderId, sku, 1, forUpdate);
            if (outcome == RawSession.Outcome.CONFLICT) {
                lost++;
                continue;
            }
            if (outcome != RawSession.Outcome.ALLOCATED) {
                throw new IllegalStateException("Raw allocate of " + orderId + " to " + sku + ": " + outcome);
            }
            return lost;
        }
    }
}
