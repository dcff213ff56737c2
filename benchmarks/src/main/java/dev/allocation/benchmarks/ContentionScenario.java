package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 2: contention, every client thread allocating on one sku (one batch, never out of stock),
 * the variants interleaved: the service with optimistic and with pessimistic locking (a conflict is
 * retried by the bus, with backoff), and the raw twin optimistic (a lost transaction rolled back and
 * retried at once, counted) and with {@code SELECT ... FOR UPDATE} on the product row.
 */
final class ContentionScenario {

    private static final AtomicInteger RUNS = new AtomicInteger();

    enum Variant {
        SERVICE_OPTIMISTIC("service, optimistic locking (default)"),
        SERVICE_PESSIMISTIC("service, pessimistic locking"),
        RAW_OPTIMISTIC("raw SQL, version check, retried at once"),
        RAW_FOR_UPDATE("raw SQL, SELECT ... FOR UPDATE");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    record Row(Store store, Variant variant, LoadResult result) {
    }

    private ContentionScenario() {
    }

    static List<Row> run(Fixture fixture, Settings settings) throws Exception {
        List<Variant> kinds = fixture.store().isJdbc() ? List.of(Variant.values()) : List.of(Variant.SERVICE_OPTIMISTIC);
        try (AllocationService optimistic = fixture.service(Locking.OPTIMISTIC);
             AllocationService pessimistic = fixture.store().isJdbc() ? fixture.service(Locking.PESSIMISTIC) : null) {
            List<LoadDriver.Variant> variants = new ArrayList<>();
            for (Variant kind : kinds) {
                String sku = "hot" + RUNS.incrementAndGet();
                AllocationService service = kind == Variant.SERVICE_OPTIMISTIC ? optimistic
                        : kind == Variant.SERVICE_PESSIMISTIC ? pessimistic : null;
                Seeder.skus(fixture, service, sku, 1);
                String hot = Seeder.sku(sku, 0);
                variants.add(new LoadDriver.Variant(fixture + " " + kind.label, settings.contentionThreads(),
                        round -> index -> service != null
                                ? (sequence, measured) -> {
                                    service.handle(new Allocate(sku + "-" + round + "-" + index + "-" + sequence, hot, 1));
                                    return 0;
                                }
                                : rawClient(fixture.raw(), sku + "-" + round + "-" + index + "-", hot,
                                        kind == Variant.RAW_FOR_UPDATE)));
            }
            List<LoadResult> results = LoadDriver.interleaved(variants, settings);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                rows.add(new Row(fixture.store(), kinds.get(i), results.get(i)));
            }
            return rows;
        }
    }

    private static LoadDriver.Client rawClient(RawSession raw, String orderPrefix, String sku, boolean forUpdate) {
        return new LoadDriver.Client() {
            @Override
            public int run(long sequence, boolean measured) throws Exception {
                return raw.allocateRetrying(orderPrefix + sequence, sku, forUpdate);
            }

            @Override
            public void close() throws Exception {
                raw.close();
            }
        };
    }
}
