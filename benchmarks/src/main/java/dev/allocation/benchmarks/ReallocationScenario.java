package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.AllocationView;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.util.*;

/**
 * Scenario 4: ChangeBatchQuantity that deallocates and reallocates {@code n} lines (1,000 in the run of
 * record). A sku holds a full batch A of n lines and an empty batch B; A shrinks to 0, so each line is
 * deallocated and allocated again to B, with its read-model row, in one unit of work and one
 * transaction. Timed end to end; the median of the runs, after a small run not recorded.
 */
final class ReallocationScenario {

    /** One store: the median time, milliseconds. */
    record Row(Store store, int lines, double millis) {
    }

    private ReallocationScenario() {
    }

    static Row run(Fixture fixture, Settings settings) throws Exception {
        int lines = settings.reallocationLines();
        List<Double> millis = new ArrayList<>();
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC)) {
            for (int run = -1; run < settings.reallocationRuns(); run++) {
                String sku = "r" + run;
                int n = run < 0 ? Math.min(lines, 50) : lines;
                Seeder.product(fixture, service, sku, new Seeder.SeedBatch(sku + "-a", n, n),
                        new Seeder.SeedBatch(sku + "-b", n * 10, 0));
                long began = System.nanoTime();
                service.handle(new ChangeBatchQuantity(sku + "-a", 0));
                if (run >= 0) {
                    millis.add((System.nanoTime() - began) / 1e6);
                }
                String last = new Seeder.SeedBatch(sku + "-a", n, n).orderId(n);
                if (!service.allocations(last).equals(List.of(new AllocationView(sku, sku + "-b")))) {
                    throw new IllegalStateException("Line " + last + " was not reallocated to " + sku + "-b");
                }
            }
        }
        return new Row(fixture.store(), lines, millis.stream().sorted().toList().get(millis.size() / 2));
    }
}
