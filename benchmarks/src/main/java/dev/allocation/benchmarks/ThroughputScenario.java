package dev.allocation.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 1: Allocate end to end through {@code AllocationService} (bus, unit of work, version check,
 * read model) at 1, 2, 4 and 8 client threads over many skus, beside the raw-SQL reference on the same
 * database, the two interleaved in slices. Each variant allocates on skus of its own (one warehouse
 * batch each, never out of stock), seeded fresh for each thread count.
 */
final class ThroughputScenario {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * One thread count on one store: the service and, for JDBC stores, the reference and the same
     * statements through the pool ({@link PooledJdbcSession}), which separates the price of the access
     * path from that of everything else.
     */
    record Row(Store store, int threads, LoadResult service, LoadResult raw, LoadResult pooled) {
        /** Service throughput over the reference's; null without a reference. */
        Double ratio() {
            return raw == null || raw.throughput() == 0 ? null : service.throughput() / raw.throughput();
        }

        /** The lowest and highest ratio of one slice of the service to the reference's slice next to it. */
        double[] ratioRange() {
            double low = Double.MAX_VALUE;
            double high = 0;
            for (int i = 0; i < Math.min(service.slices().size(), raw.slices().size()); i++) {
                double ratio = service.slices().get(i) / raw.slices().get(i);
                low = Math.min(low, ratio);
                high = Math.max(high, ratio);
            }
            return new double[] {low, high};
        }
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
                    variants.add(throughRawSql(fixture, settings, threads, rawServerPrepared));
                    variants.add(throughPool(fixture, pool, settings, threads));
                }
                List<LoadResult> results = LoadDriver.interleaved(variants, settings.rounds(), settings.warmup(),
                        settings.sliceWarmup(), settings.slice());
                rows.add(new Row(fixture.store(), threads, results.get(0), results.size() > 1 ? results.get(1) : null,
                        results.size() > 2 ? results.get(2) : null));
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

    /** The same through the raw reference, one connection per client; notes whether PostgreSQL prepared it. */
    static LoadDriver.Variant throughRawSql(Fixture fixture, Settings settings, int threads,
                                            AtomicBoolean serverPrepared) throws Exception {
        String prefix = "t" + RUNS.incrementAndGet();
        Seeder.skus(fixture, null, prefix, settings.skus(), 1_000_000_000);
        return new LoadDriver.Variant(fixture + " raw SQL", threads, round -> index -> {
            SplittableRandom random = new SplittableRandom(31L * round + index);
            RawSession raw = fixture.raw();
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
