package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 7: a service holding a million allocations in PostgreSQL, in a JVM of its own with a 256 MB
 * heap ({@link HeapProbe}). The allocations are seeded with SQL into one sku, the worst case for a store
 * that would load a sku's lines.
 */
final class HeapScenario {

    private static final Logger log = LoggerFactory.getLogger(HeapScenario.class);

    /** What the child reported for one step ({@code allocate}, {@code shrink}). */
    record Step(String name, String status, long millis, double usedAfterGcMb, double peakMb, double maxMb) {
        boolean ok() {
            return "ok".equals(status);
        }
    }

    /** The run: lines held, work asked, each step's outcome, and the child's exit code. */
    record Result(int held, int allocations, int reads, String heap, List<Step> steps, int exitCode,
                  double seedSeconds, List<String> output) {
        Step step(String name) {
            return steps.stream().filter(step -> step.name().equals(name)).findFirst().orElse(null);
        }
    }

    private HeapScenario() {
    }

    static Result run(Settings settings, Path workDirectory, String pgName) throws Exception {
        try (Fixture fixture = Fixture.open(Store.POSTGRESQL, workDirectory, pgName)) {
            fixture.service(Locking.OPTIMISTIC).close();   // brings the schema up
            int held = settings.heapAllocations();
            long seeding = System.nanoTime();
            Seeder.product(fixture, null, "HEAP", List.of(new Seeder.SeedBatch("heap-full", held, held),
                    new Seeder.SeedBatch("heap-free", held, 0)));
            fixture.database().analyze();
            double seedSeconds = (System.nanoTime() - seeding) / 1e9;
            log.info("Seeded {} allocations in {} s", held, String.format("%.1f", seedSeconds));
            Database database = fixture.database();
            ChildJvm.Outcome child = ChildJvm.run(List.of("-Xmx" + settings.heapMax(), "-Xms" + settings.heapMax()),
                    HeapProbe.class, List.of(database.url(), database.user(), database.password(),
                            Integer.toString(held), Integer.toString(settings.heapNewAllocations()),
                            Integer.toString(settings.heapReads())), Duration.ofMinutes(10));
            List<Step> steps = new ArrayList<>();
            for (String line : child.lines()) {
                if (line.startsWith("HEAP ")) {
                    log.info("{}", line);
                    steps.add(parse(line));
                }
            }
            List<String> output = child.lines();
            return new Result(held, settings.heapNewAllocations(), settings.heapReads(), settings.heapMax(), steps,
                    child.exitCode(), seedSeconds, output.size() > 40 ? output.subList(output.size() - 40,
                    output.size()) : output);
        }
    }

    private static Step parse(String line) {
        Map<String, String> values = new HashMap<>();
        for (String pair : line.substring(5).trim().split(" ")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return new Step(values.get("step"), values.get("status"), Long.parseLong(values.getOrDefault("millis", "0")),
                Double.parseDouble(values.getOrDefault("usedAfterGcMb", "0")),
                Double.parseDouble(values.getOrDefault("peakMb", "0")),
                Double.parseDouble(values.getOrDefault("maxMb", "0")));
    }
}
