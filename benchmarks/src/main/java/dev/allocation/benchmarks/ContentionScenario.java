package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.domain.commands.Allocate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 2: contention, every client thread allocating on one sku (one batch, never out of stock).
 * The service with optimistic and with pessimistic locking, its conflicts counted (each is a retry of
 * the bus, with backoff); the raw references: optimistic (version-checked update, a lost transaction
 * rolled back and retried at once) and {@code SELECT ... FOR UPDATE} on the product row.
 */
final class ContentionScenario {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** How one variant was run. */
    enum Variant {
        SERVICE_OPTIMISTIC("service, optimistic locking (default)", false),
        SERVICE_PESSIMISTIC("service, pessimistic locking", false),
        RAW_OPTIMISTIC("raw SQL, version check, retried at once", true),
        RAW_FOR_UPDATE("raw SQL, SELECT ... FOR UPDATE", true);

        private final String label;
        private final boolean raw;

        Variant(String label, boolean raw) {
            this.label = label;
            this.raw = raw;
        }

        String label() {
            return label;
        }

        boolean isRaw() {
            return raw;
        }
    }

    /** One variant on one store. {@code result.retries()} counts lost races (conflicts, failed transactions). */
    record Row(Store store, Variant variant, LoadResult result) {
        /** The share of transactions that lost a race: retries over all attempts. */
        double failedShare() {
            long attempts = result.operations() + result.retries();
            return attempts == 0 ? 0 : (double) result.retries() / attempts;
        }
    }

    private ContentionScenario() {
    }

    static List<Row> run(Fixture fixture, Settings settings) throws Exception {
        List<Variant> kinds = fixture.store().isJdbc()
                ? List.of(Variant.SERVICE_OPTIMISTIC, Variant.RAW_OPTIMISTIC, Variant.SERVICE_PESSIMISTIC,
                          Variant.RAW_FOR_UPDATE)
                : List.of(Variant.SERVICE_OPTIMISTIC);
        List<AutoCloseable> services = new ArrayList<>();
        try {
            List<LoadDriver.Variant> variants = new ArrayList<>();
            for (Variant kind : kinds) {
                variants.add(switch (kind) {
                    case SERVICE_OPTIMISTIC -> service(fixture, settings, Locking.OPTIMISTIC, services);
                    case SERVICE_PESSIMISTIC -> service(fixture, settings, Locking.PESSIMISTIC, services);
                    case RAW_OPTIMISTIC -> raw(fixture, settings, false);
                    case RAW_FOR_UPDATE -> raw(fixture, settings, true);
                });
            }
            List<LoadResult> results = LoadDriver.interleaved(variants, settings.rounds(), settings.warmup(),
                    settings.sliceWarmup(), settings.slice());
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                rows.add(new Row(fixture.store(), kinds.get(i), results.get(i)));
            }
            return rows;
        } finally {
            for (AutoCloseable service : services) {
                service.close();
            }
        }
    }

    private static LoadDriver.Variant service(Fixture fixture, Settings settings, Locking locking,
                                              List<AutoCloseable> opened) throws Exception {
        Fixture.Counted counted = fixture.counted(locking, null);
        opened.add(counted);
        String sku = "hot" + RUNS.incrementAndGet();
        Seeder.skus(fixture, counted.service(), sku, 1, 1_000_000_000);
        String hot = Seeder.sku(sku, 0);
        return new LoadDriver.Variant(fixture + " service " + locking, settings.contentionThreads(),
                round -> index -> (sequence, measured) -> {
                    long conflictsBefore = counted.counter().conflictsOfThisThread();
                    counted.service().handle(new Allocate(sku + "-" + round + "-" + index + "-" + sequence, hot, 1));
                    return (int) (counted.counter().conflictsOfThisThread() - conflictsBefore);
                });
    }

    private static LoadDriver.Variant raw(Fixture fixture, Settings settings, boolean forUpdate) throws Exception {
        String sku = "hot" + RUNS.incrementAndGet();
        Seeder.skus(fixture, null, sku, 1, 1_000_000_000);
        String hot = Seeder.sku(sku, 0);
        return new LoadDriver.Variant(fixture + (forUpdate ? " raw FOR UPDATE" : " raw optimistic"),
                settings.contentionThreads(), round -> index -> {
                    RawSession raw = fixture.raw();
                    return new LoadDriver.Client() {
                        @Override
                        public int run(long sequence, boolean measured) throws Exception {
                            return ThroughputScenario.allocateRetrying(raw,
                                    sku + "-" + round + "-" + index + "-" + sequence, hot, forUpdate);
                        }

                        @Override
                        public void close() throws Exception {
                            raw.close();
                        }
                    };
                });
    }
}
