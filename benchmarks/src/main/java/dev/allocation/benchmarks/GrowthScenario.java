package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.util.*;

/**
 * Scenario 3: how the cost of one Allocate grows with the allocations its sku already holds (0, 1,000,
 * 10,000, 100,000), on one thread. Each level is a sku of its own, seeded in bulk with every invariant
 * kept; the levels are measured in interleaved rounds (0, 1k, 10k, 100k, then again), the raw twin on
 * skus of its own in the same database right after the service at each level.
 */
final class GrowthScenario {

    /** One level on one store: mean time per Allocate (microseconds) of the service and of the twin (null). */
    record Row(Store store, int held, double service, Double raw) {
    }

    @FunctionalInterface
    private interface Allocator {
        void allocate(String orderId, String sku) throws Exception;
    }

    private GrowthScenario() {
    }

    static List<Row> run(Fixture fixture, Settings settings) throws Exception {
        boolean jdbc = fixture.store().isJdbc();
        List<Integer> levels = settings.growthLevels();
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             RawSession raw = jdbc ? fixture.raw() : null) {
            Allocator viaService = (orderId, sku) -> service.handle(new Allocate(orderId, sku, 1));
            List<Allocator> variants = jdbc ? List.of(viaService, (orderId, sku) -> raw.allocateRetrying(orderId, sku, false))
                    : List.of(viaService);
            int warmup = settings.growthWarmupOps() * (jdbc ? 1 : 50);
            int measured = settings.growthRounds() * settings.growthPerRound();
            for (int v = 0; v < variants.size(); v++) {
                for (int held : levels) {
                    Seeder.product(fixture, service, "g" + v + "-" + held, new Seeder.SeedBatch("g" + v + "-" + held + "-b",
                            held + measured + 1_000, held));
                }
                Seeder.product(fixture, service, "g" + v + "-warm", new Seeder.SeedBatch("g" + v + "-warm-b", warmup, 0));
            }
            for (int i = 0; i < warmup; i++) {
                for (int v = 0; v < variants.size(); v++) {
                    variants.get(v).allocate("g" + v + "-warm-" + i, "g" + v + "-warm");
                }
            }
            // the bulk seeding's garbage is collected now, not in whichever level's rounds it would fall
            System.gc();
            long[][] nanos = new long[variants.size()][levels.size()];
            for (int round = 0; round < settings.growthRounds(); round++) {
                for (int level = 0; level < levels.size(); level++) {
                    for (int v = 0; v < variants.size(); v++) {
                        String sku = "g" + v + "-" + levels.get(level);
                        for (int i = 0; i < settings.growthPerRound(); i++) {
                            long began = System.nanoTime();
                            variants.get(v).allocate(sku + "-new-" + round + "-" + i, sku);
                            nanos[v][level] += System.nanoTime() - began;
                        }
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            for (int level = 0; level < levels.size(); level++) {
                rows.add(new Row(fixture.store(), levels.get(level), nanos[0][level] / 1e3 / measured,
                        jdbc ? nanos[1][level] / 1e3 / measured : null));
            }
            return rows;
        }
    }
}
