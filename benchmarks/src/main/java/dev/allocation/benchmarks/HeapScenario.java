package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 7: a service holding a million allocations in PostgreSQL, in a JVM of its own with a 256 MB
 * heap ({@link HeapProbe}). The allocations are seeded with SQL into one sku, the worst case for a store
 * that would load a sku's lines.
 */
final class HeapScenario {

    static final String HEAP = "256m";
    private static final Logger log = LoggerFactory.getLogger(HeapScenario.class);

    /** What the child reported for one step ({@code allocate}, {@code shrink}), as printed. */
    record Step(String name, String status, long millis, double usedAfterGcMb, double peakMb) {
        boolean ok() {
            return "ok".equals(status);
        }
    }

    /** The run: lines held, allocations and reads asked, each step's outcome, the child's last output. */
    record Result(int held, int allocations, int reads, List<Step> steps, List<String> output) {
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
            Seeder.product(fixture, null, "HEAP", List.of(new Seeder.SeedBatch("heap-full", held, held),
                    new Seeder.SeedBatch("heap-free", held, 0)));
            fixture.database().analyze();
            Database database = fixture.database();
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + HEAP, "-Xms" + HEAP, "-cp", classPath, HeapProbe.class.getName(), database.url(),
                    database.user(), database.password(), Integer.toString(held),
                    Integer.toString(settings.heapNewAllocations()), Integer.toString(settings.heapReads()))
                    .redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                output.lines().forEach(lines::add);
            }
            if (!child.waitFor(10, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
            List<Step> steps = lines.stream().filter(line -> line.startsWith("HEAP ")).peek(line -> log.info("{}", line))
                    .map(HeapScenario::parse).toList();
            return new Result(held, settings.heapNewAllocations(), settings.heapReads(), steps,
                    lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    private static Step parse(String line) {
        Map<String, String> values = new HashMap<>();
        for (String pair : line.substring(5).trim().split(" ")) {
            values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return new Step(values.get("step"), values.get("status"), Long.parseLong(values.getOrDefault("millis", "0")),
                Double.parseDouble(values.getOrDefault("usedAfterGcMb", "0")),
                Double.parseDouble(values.getOrDefault("peakMb", "0")));
    }
}
