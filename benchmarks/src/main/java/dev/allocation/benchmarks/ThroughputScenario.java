package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 1: Allocate end to end through {@code AllocationService} (bus, unit of work, version check,
 * read model) at 1, 2, 4 and 8 client threads over many skus, beside the raw-SQL twin on the same
 * database, the two interleaved in slices. Each variant allocates on skus of its own (one warehouse
 * batch each, never out of stock), seeded fresh for each thread count.
 */
final class ThroughputScenario {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** One thread count on one store; {@code raw} null without a twin. */
    record Row(Store store, int threads, LoadResult service, LoadResult raw) {
    }

    private ThroughputScenario() {
    }

    static List<Row> run(Fixture fixture, Settings settings) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC)) {
            for (int threads : settings.threads()) {
                List<LoadDriver.Variant> variants = new ArrayList<>();
                variants.add(throughService(fixture, service, settings, threads));
                if (fixture.store().isJdbc()) {
                    variants.add(throughRawSql(fixture, settings, threads));
                }
                List<LoadResult> results = LoadDriver.interleaved(variants, settings);
                rows.add(new Row(fixture.store(), threads, results.get(0), results.size() > 1 ? results.get(1) : null));
            }
        }
        return rows;
    }

    /** Allocates through {@code service} on {@link Settings#skus()} fresh skus, a new order each time. */
    private static LoadDriver.Variant throughService(Fixture fixture, AllocationService service, Settings settings,
                                                     int threads) throws Exception {
        String prefix = "t" + RUNS.incrementAndGet();
        Seeder.skus(fixture, service, prefix, settings.skus());
        return new LoadDriver.Variant(fixture + " service", threads, round -> index -> {
            SplittableRandom random = new SplittableRandom(31L * round + index);
            return (sequence, measured) -> {
                service.handle(new Allocate(prefix + "-" + round + "-" + index + "-" + sequence,
                        Seeder.sku(prefix, random.nextInt(settings.skus())), 1));
                return 0;
            };
        });
    }

    /** The same through the raw twin, one connection per client. */
    private static LoadDriver.Variant throughRawSql(Fixture fixture, Settings settings, int threads) throws Exception {
        String prefix = "t" + RUNS.incrementAndGet();
        Seeder.skus(fixture, null, prefix, settings.skus());
        return new LoadDriver.Variant(fixture + " raw SQL", threads, round -> index -> {
            SplittableRandom random = new SplittableRandom(31L * round + index);
            RawSession raw = fixture.raw();
            return new LoadDriver.Client() {
                @Override
                public int run(long sequence, boolean measured) throws Exception {
                    return raw.allocateRetrying(prefix + "-" + round + "-" + index + "-" + sequence,
                            Seeder.sku(prefix, random.nextInt(settings.skus())), false);
                }

                @Override
                public void close() throws Exception {
                    raw.close();
                }
            };
        });
    }
}
