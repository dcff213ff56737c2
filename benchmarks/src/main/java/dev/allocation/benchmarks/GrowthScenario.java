package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Scenario 3: how the cost of one Allocate grows with the allocations its sku already holds (0, 1,000,
 * 10,000, 100,000), on one thread. Each level is a sku of its own, seeded in bulk with every invariant
 * kept ({@link Seeder}); the levels are measured in interleaved rounds (level 0, 1k, 10k, 100k, then
 * again) so that a slow moment of the machine weighs on all of them alike. The raw reference runs the
 * same on skus of its own in the same database.
 */
final class GrowthScenario {

    /** Time per Allocate at one level, microseconds. */
    record Stats(double mean, double p50, double p99, long count) {
        static Stats of(Histogram histogram) {
            return new Stats(histogram.getMean() / 1e3, histogram.getValueAtPercentile(50) / 1e3,
                    histogram.getValueAtPercentile(99) / 1e3, histogram.getTotalCount());
        }
    }

    /** One level on one store; {@code raw} null without a reference. */
    record Row(Store store, int held, Stats service, Stats raw) {
        Double ratio() {
            return raw == null ? null : service.mean() / raw.mean();
        }
    }

    private GrowthScenario() {
    }

    static List<Row> run(Fixture fixture, Settings settings) throws Exception {
        boolean jdbc = fixture.store().isJdbc();
        List<Integer> levels = settings.growthLevels();
        int added = settings.growthRounds() * settings.growthPerRound();
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             RawSession raw = jdbc ? fixture.raw() : null) {
            for (int held : levels) {
                Seeder.product(fixture, service, "gs" + held,
                        List.of(new Seeder.SeedBatch("gs" + held + "-b", held + added + 1_000, held)));
                if (jdbc) {
                    Seeder.product(fixture, null, "gr" + held,
                            List.of(new Seeder.SeedBatch("gr" + held + "-b", held + added + 1_000, held)));
                }
            }
            int warmup = settings.growthWarmupOps() * (jdbc ? 1 : 50);
            Seeder.product(fixture, service, "gs-warm", List.of(new Seeder.SeedBatch("gs-warm-b", warmup, 0)));
            if (jdbc) {
                Seeder.product(fixture, null, "gr-warm", List.of(new Seeder.SeedBatch("gr-warm-b", warmup, 0)));
                fixture.database().analyze();
            }
            for (int i = 0; i < warmup; i++) {
                service.handle(new Allocate("gs-warm-" + i, "gs-warm", 1));
                if (jdbc) {
                    ThroughputScenario.allocateRetrying(raw, "gr-warm-" + i, "gr-warm", false);
                }
            }
            Map<Integer, Histogram> throughService = new LinkedHashMap<>();
            Map<Integer, Histogram> throughRaw = new LinkedHashMap<>();
            for (int held : levels) {
                throughService.put(held, histogram());
                throughRaw.put(held, histogram());
            }
            for (int round = 0; round < settings.growthRounds(); round++) {
                for (int held : levels) {
                    Histogram histogram = throughService.get(held);
                    for (int i = 0; i < settings.growthPerRound(); i++) {
                        String orderId = "gs" + held + "-new-" + round + "-" + i;
                        long began = System.nanoTime();
                        service.handle(new Allocate(orderId, "gs" + held, 1));
                        histogram.recordValue(System.nanoTime() - began);
                    }
                    if (jdbc) {
                        Histogram rawHistogram = throughRaw.get(held);
                        for (int i = 0; i < settings.growthPerRound(); i++) {
                            String orderId = "gr" + held + "-new-" + round + "-" + i;
                            long began = System.nanoTime();
                            ThroughputScenario.allocateRetrying(raw, orderId, "gr" + held, false);
                            rawHistogram.recordValue(System.nanoTime() - began);
                        }
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            for (int held : levels) {
                rows.add(new Row(fixture.store(), held, Stats.of(throughService.get(held)),
                        jdbc ? Stats.of(throughRaw.get(held)) : null));
            }
            return rows;
        }
    }

    private static Histogram histogram() {
        return new Histogram(Duration.ofSeconds(60).toNanos(), 3);
    }
}
