package dev.allocation.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the chosen scenarios on every store that answers, then writes the tables into
 * {@code benchmarks.md} and the growth chart {@code allocate-growth.png}:
 * {@code BenchmarkSuite --mode=full|quick|smoke --only=all|throughput,... --out=../docs}. PostgreSQL is
 * skipped, with a line in the tables, when no server answers, unless {@code CI=true}.
 */
public final class BenchmarkSuite {

    static final Set<String> SCENARIOS = Set.of("throughput", "contention", "growth", "reallocation", "http", "jmh", "heap",
            "relay");
    private static final Logger log = LoggerFactory.getLogger(BenchmarkSuite.class);

    private final Settings settings;
    private final Set<String> only;
    private final Path workDirectory;
    private final String pgName;

    BenchmarkSuite(Settings settings, Set<String> only, Path workDirectory, String pgName) {
        this.settings = settings;
        this.only = only.contains("all") ? SCENARIOS : only;
        this.workDirectory = workDirectory;
        this.pgName = pgName;
    }

    /** @param args {@code --mode=}, {@code --only=}, {@code --out=} */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("mode", "full", "only", "all", "out", "docs"));
        for (String arg : args) {
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Settings settings = Settings.of(options.get("mode"));
        Path out = Files.createDirectories(Path.of(options.get("out")).toAbsolutePath().normalize());
        Path work = Files.createDirectories(Path.of("target", "bench-work"));
        SuiteResults results = new BenchmarkSuite(settings, Set.of(options.get("only").split(",")), work,
                "allocation_bench").run();
        Tables.write(results, out.resolve("benchmarks.md"));
        GrowthChart.write(results, out.resolve("allocate-growth.png"));
        log.info("Wrote the tables and the chart to {} in {} s", out, Math.round(results.totalSeconds));
        System.exit(results.failures.isEmpty() ? 0 : 1);
    }

    /** Runs the chosen scenarios on every store that answers, sampling the machine's load every 5 s. */
    SuiteResults run() {
        long began = System.nanoTime();
        SuiteResults results = new SuiteResults(settings);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "load-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(() -> {
            double others = Math.max(0, os.getCpuLoad() - os.getProcessCpuLoad()) * os.getAvailableProcessors();
            synchronized (results.load) {
                results.load.add(new double[] {os.getSystemLoadAverage(), others});
            }
        }, 5, 5, TimeUnit.SECONDS);
        try {
            run(results);
        } finally {
            sampler.shutdownNow();
        }
        results.totalSeconds = (System.nanoTime() - began) / 1e9;
        return results;
    }

    private void run(SuiteResults results) {
        results.stores.addAll(List.of(Store.MEMORY, Store.H2_MEMORY, Store.H2_FILE));
        String[] problem = new String[1];
        results.postgresVersion = Fixture.postgresVersion(problem);
        if (results.postgresVersion != null) {
            results.stores.add(Store.POSTGRESQL);
        } else if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(problem[0] + "; with CI=true the PostgreSQL benchmarks must run");
        } else {
            log.warn("{}: skipping PostgreSQL", problem[0]);
            results.skipped.add(problem[0]);
        }
        results.revision = revision();
        for (Store store : results.stores) {
            run(results, "throughput", store, fixture -> results.throughput.addAll(AllocateScenarios.throughput(fixture, settings)));
            run(results, "contention", store, fixture -> results.contention.addAll(AllocateScenarios.contention(fixture, settings)));
            run(results, "growth", store, fixture -> results.growth.addAll(GrowthScenario.run(fixture, settings)));
            run(results, "reallocation", store, fixture -> results.reallocation.add(ReallocationScenario.run(fixture, settings)));
            run(results, "http", store, fixture -> results.http.addAll(HttpScenario.run(fixture, settings)));
        }
        run(results, "jmh", null, none -> results.jmh = InMemoryBusBenchmark.run(settings));
        if (results.stores.contains(Store.POSTGRESQL)) {
            run(results, "heap", null, none -> results.heap = HeapScenario.run(settings, workDirectory, pgName + "_heap"));
            run(results, "relay", Store.POSTGRESQL, fixture -> results.relay = RelayScenario.run(fixture, settings));
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(Fixture fixture) throws Exception;
    }

    /** Runs {@code step} on a fresh fixture of {@code store} (none: null), when {@code name} was chosen. */
    private void run(SuiteResults results, String name, Store store, Step step) {
        if (!only.contains(name)) {
            return;
        }
        String label = store == null ? name : name + " on " + store;
        log.info("=== {}", label);
        try (Fixture fixture = store == null ? null : Fixture.open(store, workDirectory, pgName)) {
            step.run(fixture);
        } catch (Exception | Error e) {
            log.error("{} failed", label, e);
            results.failures.put(label, e.toString());
        }
    }

    /** The commit measured ({@code git describe --always --dirty}), or null outside a work tree. */
    private static String revision() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12").start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 && !out.isEmpty() ? out : null;
        } catch (Exception e) {
            return null;
        }
    }
}
