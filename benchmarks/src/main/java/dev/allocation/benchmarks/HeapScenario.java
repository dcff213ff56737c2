package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.AllocationView;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.commands.*;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 7: a service holding a million allocations in one sku in PostgreSQL (seeded with SQL, the
 * worst case for a store that would load a sku's lines), run by {@link #main} in a JVM of its own with a
 * 256 MB heap: it allocates new lines, reads old and new ones, then shrinks the full batch by one line,
 * and prints one {@code HEAP step status millis usedAfterGcMb} line per step.
 */
public final class HeapScenario {

    static final String HEAP = "256m";

    /** What the child reported for one step ({@code allocate}, {@code shrink}). */
    record Step(String name, String status, long millis, double usedAfterGcMb) {
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
            fixture.analyze();
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + HEAP, "-Xms" + HEAP, "-cp",
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    HeapScenario.class.getName(), fixture.url(), fixture.user(), fixture.password(), Integer.toString(held),
                    Integer.toString(settings.heapNewAllocations()), Integer.toString(settings.heapReads()))
                    .redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                output.lines().forEach(lines::add);
            }
            if (!child.waitFor(10, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
            List<Step> steps = lines.stream().filter(line -> line.startsWith("HEAP ")).map(line -> line.split(" "))
                    .map(f -> new Step(f[1], f[2], Long.parseLong(f[3]), Double.parseDouble(f[4])))
                    .toList();
            return new Result(held, settings.heapNewAllocations(), settings.heapReads(), steps,
                    lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    /** The child: arguments url, user, password (may be empty), lines held, new allocations, reads. */
    public static void main(String[] args) {
        int held = Integer.parseInt(args[3]);
        int allocations = Integer.parseInt(args[4]);
        long started = System.nanoTime();
        try (AllocationService service = Bootstrap.builder().jdbc(args[0], args[1], args[2])
                .notifications((destination, message) -> { }).eventPublisher(event -> { }).build()) {
            for (int i = 0; i < allocations; i++) {
                service.handle(new Allocate("heap-new-" + i, "HEAP", 1));
            }
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < Integer.parseInt(args[5]); i++) {
                expect(service, "heap-full-o" + (1 + random.nextInt(held)), "heap-full");
                expect(service, "heap-new-" + random.nextInt(allocations), "heap-free");
            }
            report("allocate", "ok", started);
            started = System.nanoTime();
            service.handle(new ChangeBatchQuantity("heap-full", held - 1));
            expect(service, "heap-full-o" + held, "heap-free");
            report("shrink", "ok", started);
        } catch (OutOfMemoryError e) {
            report("failed", "OutOfMemoryError", started);
        } catch (RuntimeException e) {
            report("failed", e.getClass().getSimpleName(), started);
            e.printStackTrace();
        }
    }

    private static void expect(AllocationService service, String orderId, String batch) {
        List<AllocationView> views = service.allocations(orderId);
        if (views.size() != 1 || !views.get(0).batchRef().equals(batch)) {
            throw new IllegalStateException("Order " + orderId + " should be in " + batch + ", is in " + views);
        }
    }

    private static void report(String step, String status, long since) {
        System.gc();
        System.out.printf(Locale.ROOT, "HEAP %s %s %d %.1f%n", step, status, (System.nanoTime() - since) / 1_000_000,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
        System.out.flush();
    }
}
