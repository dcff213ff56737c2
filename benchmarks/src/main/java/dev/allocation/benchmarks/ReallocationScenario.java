package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.AllocationView;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 4: ChangeBatchQuantity that deallocates and reallocates {@code n} lines (1,000 in the run of
 * record). A sku holds a full batch A of n lines and an empty batch B; A shrinks to 0, so each line is
 * deallocated and allocated again to B, with its read-model row, in one unit of work and one
 * transaction. Timed end to end, beside the raw twin running the same statements in one transaction.
 */
final class ReallocationScenario {

    /** One store: the median time of the runs, milliseconds ({@code raw} null without a twin). */
    record Row(Store store, int lines, double service, Double raw) {
    }

    private ReallocationScenario() {
    }

    static Row run(Fixture fixture, Settings settings) throws Exception {
        int lines = settings.reallocationLines();
        List<Double> throughService = new ArrayList<>();
        List<Double> throughRaw = new ArrayList<>();
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             RawSession raw = fixture.store().isJdbc() ? fixture.raw() : null) {
            once(fixture, service, raw, "rw", Math.min(lines, 50));   // warm-up, not recorded
            for (int run = 0; run < settings.reallocationRuns(); run++) {
                double[] millis = once(fixture, service, raw, "r" + run, lines);
                throughService.add(millis[0]);
                throughRaw.add(millis[1]);
            }
        }
        return new Row(fixture.store(), lines, median(throughService), fixture.store().isJdbc() ? median(throughRaw) : null);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double[] once(Fixture fixture, AllocationService service, RawSession raw, String name, int lines)
            throws Exception {
        String sku = name + "-s";
        Seeder.product(fixture, service, sku, List.of(
                new Seeder.SeedBatch(sku + "-a", lines, lines), new Seeder.SeedBatch(sku + "-b", lines * 10, 0)));
        if (raw != null) {
            Seeder.product(fixture, null, name + "-raw", List.of(new Seeder.SeedBatch(name + "-raw-a", lines, lines),
                    new Seeder.SeedBatch(name + "-raw-b", lines * 10, 0)));
            fixture.database().analyze();
        }
        long began = System.nanoTime();
        service.handle(new ChangeBatchQuantity(sku + "-a", 0));
        double serviceMillis = (System.nanoTime() - began) / 1e6;
        String lastLine = new Seeder.SeedBatch(sku + "-a", lines, lines).orderId(lines);
        List<AllocationView> moved = service.allocations(lastLine);
        if (!moved.equals(List.of(new AllocationView(sku, sku + "-b")))) {
            throw new IllegalStateException("Line " + lastLine + " was not reallocated to " + sku + "-b: " + moved);
        }
        if (raw == null) {
            return new double[] {serviceMillis, 0};
        }
        began = System.nanoTime();
        int deallocated = raw.changeBatchQuantity(name + "-raw-a", 0);
        double rawMillis = (System.nanoTime() - began) / 1e6;
        if (deallocated != lines) {
            throw new IllegalStateException("The raw twin deallocated " + deallocated + " lines, not " + lines);
        }
        return new double[] {serviceMillis, rawMillis};
    }
}
