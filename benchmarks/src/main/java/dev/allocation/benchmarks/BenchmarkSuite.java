package dev.allocation.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the chosen scenarios on every store that answers, then writes the tables into
 * {@code benchmarks.md} and the growth chart {@code allocate-growth.png}.
 *
 * <pre>java -cp ... dev.allocation.benchmarks.BenchmarkSuite --mode=full --only=all --out=../docs</pre>
 *
 * <p>{@code --only}: a comma-separated subset of {@value #SCENARIOS}, or {@code all}. PostgreSQL is
 * skipped, with a line in the tables, when no server answers, unless {@code CI=true}.
 */
public final class BenchmarkSuite {

    static final String SCENARIOS = "throughput,contention,growth,reallocation,http,jmh,heap";

    private static final Logger log = LoggerFactory.getLogger(BenchmarkSuite.class);

    private final Settings settings;
    private final Set<String> only;
    private final Path workDirectory;
    private final String pgName;

    BenchmarkSuite(Settings settings, Set<String> only, Path workDirectory, String pgName) {
        this.settings = settings;
        this.only = only;
        this.workDirectory = workDirectory;
        this.pgName = pgName;
    }

    /** @param args {@code --mode=full|quick|smoke}, {@code --only=all|<scenarios>}, {@code --out=<directory>} */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("mode", "full", "only", "all", "out", "docs"));
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Unknown argument " + arg + ": --mode=, --only=, --out=");
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Settings settings = Settings.of(options.get("mode"));
        Path out = Files.createDirectories(Path.of(options.get("out")).toAbsolutePath().normalize());
        Path work = Files.createDirectories(Path.of("target", "bench-work"));
        SuiteResults results = new BenchmarkSuite(settings, scenarios(options.get("only")), work,
                "smoke".equals(settings.mode()) ? "allocation_bench_" + shortId() : "allocation_bench").run();
        Tables.write(results, out.resolve("benchmarks.md"));
        GrowthChart.write(results, out.resolve("allocate-growth.png"));
        log.info("Wrote the tables and the chart to {} in {} s", out, Math.round(results.totalSeconds));
        if (!results.failures.isEmpty()) {
            log.error("Scenarios failed: {}", results.failures);
            System.exit(1);
        }
    }

    static Set<String> scenarios(String only) {
        Set<String> known = Set.of(SCENARIOS.split(","));
        if (only == null || only.isBlank() || only.equals("all")) {
            return known;
        }
        Set<String> chosen = Set.of(only.split(","));
        if (!known.containsAll(chosen)) {
            throw new IllegalArgumentException("Unknown scenario in " + only + ": " + SCENARIOS);
        }
        return chosen;
    }

    static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Runs the chosen scenarios on every store that answers, sampling the machine's load meanwhile. */
    SuiteResults run() {
        long began = System.nanoTime();
        SuiteResults results = new SuiteResults(settings);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int cores = Runtime.getRuntime().availableProcessors();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "load-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(() -> {
            double others = Math.max(0, os.getCpuLoad() - os.getProcessCpuLoad()) * cores;
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
        String problem = Database.postgresProblem();
        if (problem == null) {
            results.stores.add(Store.POSTGRESQL);
            results.postgresVersion = Database.postgresVersion();
        } else if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(problem + "; with CI=true the PostgreSQL benchmarks must run");
        } else {
            log.warn("{}: skipping PostgreSQL", problem);
            results.skipped.add(problem);
        }
        results.revision = revision();
        for (Store store : results.stores) {
            onStore(results, "throughput", store, fixture -> results.throughput.addAll(ThroughputScenario.run(fixture, settings)));
            onStore(results, "contention", store, fixture -> results.contention.addAll(ContentionScenario.run(fixture, settings)));
            onStore(results, "growth", store, fixture -> results.growth.addAll(GrowthScenario.run(fixture, settings)));
            onStore(results, "reallocation", store, fixture -> results.reallocation.add(ReallocationScenario.run(fixture, settings)));
            onStore(results, "http", store, fixture -> results.http.add(HttpScenario.run(fixture, settings)));
        }
        timed(results, "jmh", "in-memory bus (JMH)", () -> results.jmh = InMemoryBusBenchmark.run(settings));
        if (results.stores.contains(Store.POSTGRESQL)) {
            timed(results, "heap", "256 MB heap", () -> results.heap = HeapScenario.run(settings, workDirectory, pgName + "_heap"));
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface StoreStep {
        void run(Fixture fixture) throws Exception;
    }

    private void onStore(SuiteResults results, String name, Store store, StoreStep step) {
        timed(results, name, name + " on " + store, () -> {
            try (Fixture fixture = Fixture.open(store, workDirectory, pgName)) {
                step.run(fixture);
            }
        });
    }

    private void timed(SuiteResults results, String name, String label, Step step) {
        if (!only.contains(name)) {
            return;
        }
        log.info("=== {}", label);
        try {
            step.run();
        } catch (Exception | Error e) {
            log.error("{} failed", label, e);
            results.failures.put(label, e.toString());
        }
    }

    /** The commit measured ({@code git describe --always --dirty}), or null outside a work tree. */
    private static String revision() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 && !out.isEmpty() && !out.contains(" ") ? out : null;
        } catch (Exception e) {
            return null;
        }
    }
}
