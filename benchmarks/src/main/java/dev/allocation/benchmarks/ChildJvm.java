package dev.allocation.benchmarks;

import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A scenario's {@code main} run in a JVM of its own with a small heap ({@value #HEAP}), so that what it
 * holds shows: it reports each step on a line of its output ({@link #report}), which the parent reads back.
 */
final class ChildJvm {

    static final String HEAP = "256m";

    /** What the child reported for one step: its outcome, its time, and the heap used after a full GC. */
    record Step(String name, String status, long millis, double usedAfterGcMb) {
        boolean ok() {
            return "ok".equals(status);
        }
    }

    /** What the child printed, and its steps in order. */
    record Output(List<String> lines, List<Step> steps) {
        /** The step called {@code name}; when it never reported, a failed one. */
        Step step(String name) {
            return steps.stream().filter(step -> step.name().equals(name)).findFirst()
                    .orElse(new Step(name, "failed", 0, 0));
        }
    }

    private ChildJvm() {
    }

    /** Runs {@code main} with the database of {@code fixture} (url, user, password), then {@code more}, as arguments. */
    static Output run(Class<?> main, Fixture fixture, Object... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-Xms" + HEAP, "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                main.getName(), fixture.url(), fixture.user(), fixture.password()));
        Stream.of(more).map(String::valueOf).forEach(command::add);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader output = child.inputReader()) {
            lines = output.lines().toList();
        }
        if (!child.waitFor(1, TimeUnit.MINUTES)) {
            child.destroyForcibly();
        }
        return new Output(lines, lines.stream().filter(line -> line.startsWith("STEP ")).map(line -> line.split(" "))
                .map(f -> new Step(f[1], f[2], Long.parseLong(f[3]), Double.parseDouble(f[4]))).toList());
    }

    /** In the child: reports {@code step}, begun at {@code since}, and the heap it left used after a full GC. */
    static void report(String step, String status, long since) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        System.gc();
        System.out.printf(Locale.ROOT, "STEP %s %s %d %.1f%n", step, status, millis,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
        System.out.flush();
    }
}
