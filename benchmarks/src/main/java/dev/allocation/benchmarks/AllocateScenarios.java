package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.util.*;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Scenarios 1 and 2: Allocates under load through {@code AllocationService} (bus, unit of work, version
 * check, read model), each variant beside the raw-SQL twin on the same database, interleaved in slices.
 * Every variant allocates on skus of its own, seeded fresh (one warehouse batch each, never out of stock).
 */
final class AllocateScenarios {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * Scenario 1 at one thread count on one store; {@code raw} null on memory, {@code withoutOutbox} and
     * {@code floor} (PostgreSQL's own tight allocate, {@link FloorSession}) null off PostgreSQL.
     */
    record Throughput(Store store, int threads, LoadResult service, LoadResult raw, LoadResult withoutOutbox,
                      LoadResult floor) {
    }

    /** Scenario 2, one variant on one store. */
    record Contention(Store store, String variant, LoadResult result) {
    }

    private AllocateScenarios() {
    }

    /**
     * Scenario 1: each Allocate on one of {@link Settings#skus()} skus; on PostgreSQL the service without
     * outbox and the floor too. Each thread count has services of its own: a store in memory keeps every
     * line in the heap, and the lines of the counts before would fill it. The variants are measured once
     * the JIT compiler has settled: scenario 1 is the suite's first, and on two cores a fresh JVM's
     * compiler threads take up to a core for many seconds, weighing on the service's long path more than
     * on the raw twin's or the floor's short ones. They first run in turn ({@link LoadDriver#untilCompiled})
     * on services of their own, thrown away, so that each store measured starts as empty as before: the
     * passes' lines would otherwise fill the heap the collector works through.
     */
    static List<Throughput> throughput(Fixture fixture, Settings settings) throws Exception {
        List<Throughput> rows = new ArrayList<>();
        boolean postgres = fixture.store() == Store.POSTGRESQL;
        if (postgres) {
            FloorSession.create(fixture, "floor", settings.skus());
        }
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             AllocationService withoutOutbox = postgres ? fixture.serviceWithoutOutbox(Locking.OPTIMISTIC) : null) {
            LoadDriver.untilCompiled(throughputVariants(fixture, settings, settings.threads().get(0), service,
                    withoutOutbox), settings);
        }
        for (int threads : settings.threads()) {
            try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
                 AllocationService withoutOutbox = postgres ? fixture.serviceWithoutOutbox(Locking.OPTIMISTIC) : null) {
                List<LoadResult> results = LoadDriver.interleaved(throughputVariants(fixture, settings, threads, service,
                        withoutOutbox), settings, fixture::settle);
                rows.add(new Throughput(fixture.store(), threads, results.get(0), results.size() > 1 ? results.get(1) : null,
                        results.size() > 2 ? results.get(2) : null, results.size() > 3 ? results.get(3) : null));
            }
        }
        return rows;
    }

    /**
     * Scenario 1's variants at one thread count: {@code service}; the raw twin on a database; on
     * PostgreSQL {@code withoutOutbox} (null elsewhere) and the floor.
     */
    private static List<LoadDriver.Variant> throughputVariants(Fixture fixture, Settings settings, int threads,
                                                               AllocationService service,
                                                               AllocationService withoutOutbox) throws Exception {
        int skus = settings.skus();
        List<LoadDriver.Variant> variants = new ArrayList<>();
        variants.add(variant(fixture, "service", service, null, false, skus, threads));
        if (fixture.store().isJdbc()) {
            variants.add(variant(fixture, "raw SQL", null, null, false, skus, threads));
        }
        if (withoutOutbox != null) {
            variants.add(variant(fixture, "service without outbox", withoutOutbox, Fixture.WITHOUT_OUTBOX, false,
                    skus, threads));
            variants.add(floor(fixture, "floor", skus, threads));
        }
        return variants;
    }

    /**
     * Scenario 2: every client thread on one sku. The service with optimistic and with pessimistic
     * locking (a conflict is retried by the bus, with backoff); the raw twin optimistic (a lost
     * transaction rolled back and retried at once, counted) and with {@code SELECT ... FOR UPDATE}.
     */
    static List<Contention> contention(Fixture fixture, Settings settings) throws Exception {
        boolean jdbc = fixture.store().isJdbc();
        int threads = settings.contentionThreads();
        List<String> names = List.of("service, optimistic locking (default)", "service, pessimistic locking",
                "raw SQL, version check, retried at once", "raw SQL, SELECT ... FOR UPDATE");
        try (AllocationService optimistic = fixture.service(Locking.OPTIMISTIC);
             AllocationService pessimistic = jdbc ? fixture.service(Locking.PESSIMISTIC) : null) {
            List<LoadDriver.Variant> variants = new ArrayList<>(List.of(
                    variant(fixture, names.get(0), optimistic, null, false, 1, threads)));
            if (jdbc) {
                variants.add(variant(fixture, names.get(1), pessimistic, null, false, 1, threads));
                variants.add(variant(fixture, names.get(2), null, null, false, 1, threads));
                variants.add(variant(fixture, names.get(3), null, null, true, 1, threads));
            }
            List<LoadResult> results = LoadDriver.interleaved(variants, settings, fixture::settle);
            return IntStream.range(0, results.size())
                    .mapToObj(i -> new Contention(fixture.store(), names.get(i), results.get(i))).toList();
        }
    }

    /** PostgreSQL's own tight allocate ({@link FloorSession}) on the floor's {@code skus} skus named {@code prefix}. */
    static LoadDriver.Variant floor(Fixture fixture, String prefix, int skus, int threads) {
        String run = "f" + RUNS.incrementAndGet();
        return new LoadDriver.Variant(fixture + " floor", threads, round -> index -> {
            SplittableRandom random = new SplittableRandom(17L * round + index);
            String orders = run + "-" + round + "-" + index + "-";
            FloorSession floor = FloorSession.open(fixture);
            return new LoadDriver.Client() {
                @Override
                public int run(long sequence, boolean measured) throws Exception {
                    floor.allocate(orders + sequence, Seeder.sku(prefix, random.nextInt(skus)));
                    return 0;
                }

                @Override
                public void close() throws Exception {
                    floor.close();
                }
            };
        });
    }

    /** New orders on {@code skus} fresh skus of {@code schema} (null: the default), through {@code service} or else the twin. */
    static LoadDriver.Variant variant(Fixture fixture, String name, AllocationService service, String schema,
                                      boolean forUpdate, int skus, int threads) throws Exception {
        String prefix = "t" + RUNS.incrementAndGet();
        Seeder.skus(fixture, service, prefix, skus, schema);
        return new LoadDriver.Variant(fixture + " " + name, threads, round -> index -> {
            SplittableRandom random = new SplittableRandom(31L * round + index);
            String orders = prefix + "-" + round + "-" + index + "-";
            if (service != null) {
                return (sequence, measured) -> {
                    service.handle(new Allocate(orders + sequence, Seeder.sku(prefix, random.nextInt(skus)), 1));
                    return 0;
                };
            }
            RawSession raw = fixture.raw();
            return new LoadDriver.Client() {
                @Override
                public int run(long sequence, boolean measured) throws Exception {
                    return raw.allocateRetrying(orders + sequence, Seeder.sku(prefix, random.nextInt(skus)), forUpdate);
                }

                @Override
                public void close() throws Exception {
                    raw.close();
                }
            };
        });
    }
}
