package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.AllocationView;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 4: ChangeBatchQuantity that deallocates and reallocates {@code n} lines (1,000 in the run of
 * record). A sku holds a full batch A of n lines and an empty batch B; A shrinks to 0, so each of its
 * lines is deallocated and allocated again, to B, with its read-model row, all in one unit of work and
 * one transaction before {@code handle} returns. Timed end to end, beside the raw reference running the
 * same statements in one transaction.
 */
final class ReallocationScenario {

    /** One store: the total time of each run, milliseconds. */
    record Row(Store store, int lines, List<Double> serviceMillis, List<Double> rawMillis) {
        double service() {
            return median(serviceMillis);
        }

        Double raw() {
            return rawMillis.isEmpty() ? null : median(rawMillis);
        }

        Double ratio() {
            Double raw = raw();
            return raw == null ? null : service() / raw;
        }

        private static double median(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int middle = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        }
    }

    private ReallocationScenario() {
    }

    static Row run(Fixture fixture, Settings settings) throws Exception {
        boolean jdbc = fixture.store().isJdbc();
        int lines = settings.reallocationLines();
        List<Double> throughService = new ArrayList<>();
        List<Double> throughRaw = new ArrayList<>();
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             RawSession raw = jdbc ? fixture.raw() : null) {
            // warm-up: a small one of each, not recorded
            once(fixture, service, raw, "rw", Math.min(lines, 50));
            for (int run = 0; run < settings.reallocationRuns(); run++) {
                double[] millis = once(fixture, service, raw, "r" + run, lines);
                throughService.add(millis[0]);
                if (jdbc) {
                    throughRaw.add(millis[1]);
                }
            }
        }
        return new Row(fixture.store(), lines, throughService, throughRaw);
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
        double rawMillis = 0;
        if (raw != null) {
            began = System.nanoTime();
            int deallocated = raw.changeBatchQuantity(name + "-raw-a", 0);
            rawMillis = (System.nanoTime() - began) / 1e6;
            if (deallocated != lines) {
                throw new IllegalStateException("The raw reference deallocated " + deallocated + " lines, not " + lines);
            }
        }
        return new double[] {serviceMillis, rawMillis};
    }
}
