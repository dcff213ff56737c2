package dev.allocation.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every benchmark scenario on every store and writes the report ({@code benchmarks.md}) and the
 * growth chart ({@code allocate-growth.png}).
 *
 * <pre>
 * java -cp ... dev.allocation.benchmarks.BenchmarkSuite --mode=full --only=all --out=../docs
 * </pre>
 *
 * <p>{@code --mode}: {@code full} (the run of record), {@code quick} or {@code smoke}. {@code --only}: a
 * comma-separated subset of {@value #SCENARIOS}, or {@code all}. PostgreSQL is skipped, with a line in
 * the report, when no server answers, unless {@code CI=true}, where that fails the run.
 */
public final class BenchmarkSuite {

    /** The scenarios, by the names {@code --only} takes. */
    public static final String SCENARIOS = "throughput,contention,growth,reallocation,http,cost,jmh,heap";

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

    /**
     * Runs the suite.
     *
     * @param args {@code --mode=full|quick|smoke}, {@code --only=all|<scenarios>}, {@code --out=<directory>}
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("mode", "full", "only", "all", "out", "docs"));
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Unknown argument " + arg + ": --mode=, --only=, --out=");
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Settings settings = Settings.of(options.get("mode"));
        Path out = Path.of(options.get("out")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(Path.of("target", "bench-work"));
        SuiteResults results = new BenchmarkSuite(settings, scenarios(options.get("only")), work,
                "smoke".equals(settings.mode()) ? "allocation_bench_" + shortId() : "allocation_bench").run();
        Files.createDirectories(out);
        Report.write(results, out.resolve("benchmarks.md"));
        GrowthChart.write(results, out.resolve("allocate-growth.png"));
        log.info("Wrote {} and {} in {} s", out.resolve("benchmarks.md"), out.resolve("allocate-growth.png"),
                Math.round(results.totalSeconds));
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
        for (String name : chosen) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("Unknown scenario " + name + ": " + SCENARIOS);
            }
        }
        return chosen;
    }

    static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Runs the chosen scenarios on every store that answers. */
    SuiteResults run() {
        long began = System.nanoTime();
        SuiteResults results = new SuiteResults(settings);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "load-average");
            thread.setDaemon(true);
            return thread;
        });
        // what else kept the cores busy: the machine's CPU use less this JVM's, in cores, every 5 s
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int cores = Runtime.getRuntime().availableProcessors();
        sampleLoadAverage(results, os);
        sampler.scheduleAtFixedRate(() -> sampleLoadAverage(results, os), 5, 5, TimeUnit.SECONDS);
        sampler.scheduleAtFixedRate(() -> {
            double machine = os.getCpuLoad();
            double own = os.getProcessCpuLoad();
            if (machine >= 0 && own >= 0) {
                synchronized (results.otherCpu) {
                    results.otherCpu.add(Math.max(0, machine - own) * cores);
                }
            }
        }, 5, 5, TimeUnit.SECONDS);
        try {
            return run(results, began);
        } finally {
            sampler.shutdownNow();
        }
    }

    private static void sampleLoadAverage(SuiteResults results, java.lang.management.OperatingSystemMXBean os) {
        double load = os.getSystemLoadAverage();
        if (load >= 0) {
            synchronized (results.loadAverages) {
                results.loadAverages.add(load);
            }
        }
    }

    private SuiteResults run(SuiteResults results, long began) {
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
        results.sqlDrift = ReferenceSql.drift();
        if (!results.sqlDrift.isEmpty()) {
            log.warn("The raw reference's SQL differs from the adapter's: {}", results.sqlDrift);
        }
        AtomicBoolean serverPrepared = new AtomicBoolean(true);
        for (Store store : results.stores) {
            scenario(results, "throughput", store, fixture ->
                    results.throughput.addAll(ThroughputScenario.run(fixture, settings, serverPrepared)));
            if (store == Store.H2_FILE) {
                timed(results, "throughput", "durable H2 files against H2's default write delay", () -> {
                    try (Fixture fixture = Fixture.open(store, workDirectory, pgName)) {
                        results.durability.addAll(ThroughputScenario.durability(fixture, settings, workDirectory));
                    }
                });
            }
            scenario(results, "contention", store, fixture ->
                    results.contention.addAll(ContentionScenario.run(fixture, settings)));
            scenario(results, "growth", store, fixture -> results.growth.addAll(GrowthScenario.run(fixture, settings)));
            scenario(results, "reallocation", store, fixture ->
                    results.reallocation.add(ReallocationScenario.run(fixture, settings)));
            scenario(results, "http", store, fixture -> results.http.add(HttpScenario.run(fixture, settings)));
            if (store.isJdbc()) {
                scenario(results, "cost", store, fixture -> results.adapterCost.put(store,
                        AdapterCostScenario.run(fixture, settings)));
            }
        }
        results.rawServerPrepared = serverPrepared.get();
        timed(results, "http", "HTTP what-if: TCP_NODELAY (child JVMs)", () ->
                results.httpNoDelay.addAll(HttpScenario.noDelayWhatIf(settings)));
        timed(results, "jmh", "in-memory bus (JMH)", () -> results.jmh = InMemoryBusBenchmark.run(settings));
        if (results.stores.contains(Store.POSTGRESQL)) {
            timed(results, "heap", "256 MB heap", () ->
                    results.heap = HeapScenario.run(settings, workDirectory, pgName + "_heap"));
        }
        results.totalSeconds = (System.nanoTime() - began) / 1e9;
        return results;
    }

    @FunctionalInterface
    private interface StoreScenario {
        void run(Fixture fixture) throws Exception;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private void scenario(SuiteResults results, String name, Store store, StoreScenario scenario) {
        timed(results, name, name + " on " + store, () -> {
            try (Fixture fixture = Fixture.open(store, workDirectory, pgName)) {
                scenario.run(fixture);
            }
        });
    }

    private void timed(SuiteResults results, String name, String label, Step step) {
        if (!only.contains(name)) {
            return;
        }
        log.info("=== {}", label);
        long began = System.nanoTime();
        try {
            step.run();
        } catch (Exception | Error e) {
            log.error("{} failed", label, e);
            results.failures.put(label, e.toString());
        }
        results.scenarioSeconds.merge(name, (System.nanoTime() - began) / 1e9, Double::sum);
    }

    /** The commit measured ({@code git describe --always --dirty}), or null outside a work tree. */
    static String revision() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 && !out.isEmpty() && !out.contains(" ") ? out : null;
        } catch (Exception e) {
            return null;
        }
    }

    static List<String> names() {
        return new ArrayList<>(List.of(SCENARIOS.split(",")));
    }
}
