package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Scenario 3: how the cost of one Allocate grows with the allocations its sku already holds (0, 1,000,
 * 10,000, 100,000), on one thread. Each level is a sku of its own, seeded in bulk with every invariant
 * kept; the levels are measured in interleaved rounds (0, 1k, 10k, 100k, then again), the raw twin
 * on skus of its own in the same database right after the service at each level.
 */
final class GrowthScenario {

    /** One level on one store: mean time per Allocate (microseconds) of the service and of the twin (null). */
    record Row(Store store, int held, double service, Double raw) {
    }

    private GrowthScenario() {
    }

    static List<Row> run(Fixture fixture, Settings settings) throws Exception {
        boolean jdbc = fixture.store().isJdbc();
        List<Integer> levels = settings.growthLevels();
        int added = settings.growthRounds() * settings.growthPerRound();
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             RawSession raw = jdbc ? fixture.raw() : null) {
            int warmup = settings.growthWarmupOps() * (jdbc ? 1 : 50);
            for (int held : levels) {
                Seeder.product(fixture, service, "gs" + held, List.of(new Seeder.SeedBatch("gs" + held + "-b", held + added + 1_000, held)));
            }
            Seeder.product(fixture, service, "gs-warm", List.of(new Seeder.SeedBatch("gs-warm-b", warmup, 0)));
            if (jdbc) {
                for (int held : levels) {
                    Seeder.product(fixture, null, "gr" + held, List.of(new Seeder.SeedBatch("gr" + held + "-b", held + added + 1_000, held)));
                }
                Seeder.product(fixture, null, "gr-warm", List.of(new Seeder.SeedBatch("gr-warm-b", warmup, 0)));
                fixture.database().analyze();
            }
            for (int i = 0; i < warmup; i++) {
                service.handle(new Allocate("gs-warm-" + i, "gs-warm", 1));
                if (jdbc) {
                    raw.allocateRetrying("gr-warm-" + i, "gr-warm", false);
                }
            }
            List<Histogram> throughService = new ArrayList<>();
            List<Histogram> throughRaw = new ArrayList<>();
            for (int level = 0; level < levels.size(); level++) {
                throughService.add(LoadResult.newHistogram());
                throughRaw.add(LoadResult.newHistogram());
            }
            for (int round = 0; round < settings.growthRounds(); round++) {
                for (int level = 0; level < levels.size(); level++) {
                    int held = levels.get(level);
                    for (int i = 0; i < settings.growthPerRound(); i++) {
                        long began = System.nanoTime();
                        service.handle(new Allocate("gs" + held + "-new-" + round + "-" + i, "gs" + held, 1));
                        throughService.get(level).recordValue(System.nanoTime() - began);
                    }
                    for (int i = 0; jdbc && i < settings.growthPerRound(); i++) {
                        long began = System.nanoTime();
                        raw.allocateRetrying("gr" + held + "-new-" + round + "-" + i, "gr" + held, false);
                        throughRaw.get(level).recordValue(System.nanoTime() - began);
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            for (int level = 0; level < levels.size(); level++) {
                rows.add(new Row(fixture.store(), levels.get(level), throughService.get(level).getMean() / 1e3,
                        jdbc ? throughRaw.get(level).getMean() / 1e3 : null));
            }
            return rows;
        }
    }
}
