package dev.allocation.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import org.slf4j.*;

/**
 * Runs the chosen scenarios on every store that answers, then writes the tables into
 * {@code benchmarks.md} and the growth chart {@code allocate-growth.png}:
 * {@code BenchmarkSuite --mode=full|quick|smoke --only=all|throughput,... --out=../docs}. PostgreSQL is
 * skipped, with a line in the tables, when no server answers, unless {@code CI=true}.
 */
public record BenchmarkSuite(Settings settings, Set<String> only, Path workDirectory, String pgName) {

    static final Set<String> SCENARIOS = Set.of("throughput", "contention", "growth", "reallocation", "http", "heap", "relay", "spring", "kafka", "partitioned", "relaycost");
    private static final Logger log = LoggerFactory.getLogger(BenchmarkSuite.class);

    /** {@code only} names the scenarios to run, or is {@code all}. */
    public BenchmarkSuite {
        only = only.contains("all") ? SCENARIOS : only;
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
        Results results = new BenchmarkSuite(settings, Set.of(options.get("only").split(",")), work,
                "allocation_bench").run();
        Tables.write(results, out.resolve("benchmarks.md"));
        GrowthChart.write(results, out.resolve("allocate-growth.png"));
        log.info("Wrote the tables and the chart to {} in {} s", out, Math.round(results.totalSeconds));
        System.exit(results.failures.isEmpty() ? 0 : 1);
    }

    /** Runs the chosen scenarios on every store that answers, sampling the machine's load every 5 s. */
    Results run() {
        long began = System.nanoTime();
        Results results = new Results(settings);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
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

    private void run(Results results) {
        results.stores.addAll(List.of(Store.MEMORY, Store.H2_MEMORY, Store.H2_FILE));
        try {
            results.postgresVersion = Fixture.postgresVersion();
            results.stores.add(Store.POSTGRESQL);
        } catch (IllegalStateException e) {
            results.skipped.add(skipUnlessCi(e.getMessage()));
        }
        results.revision = revision();
        for (Store store : results.stores) {
            run(results, "throughput", store, fixture -> results.throughput.addAll(AllocateScenarios.throughput(fixture, settings)));
            run(results, "contention", store, fixture -> results.contention.addAll(AllocateScenarios.contention(fixture, settings)));
            run(results, "growth", store, fixture -> results.growth.addAll(GrowthScenario.run(fixture, settings)));
            run(results, "reallocation", store, fixture -> results.reallocation.add(ReallocationScenario.run(fixture, settings)));
            run(results, "http", store, fixture -> {
                HttpScenario.Result http = HttpScenario.run(fixture, settings);
                results.http.addAll(http.rows());
                results.httpFloor.addAll(http.floor());
            });
        }
        if (results.stores.contains(Store.POSTGRESQL)) {
            run(results, "heap", Store.POSTGRESQL, fixture -> results.heap = HeapScenario.run(fixture, settings));
            run(results, "relay", Store.POSTGRESQL, fixture -> results.relay = RelayScenario.run(fixture, settings));
            run(results, "spring", Store.POSTGRESQL, fixture -> results.spring = SpringScenario.run(fixture, settings));
            run(results, "kafka", Store.POSTGRESQL, fixture -> results.kafka = KafkaRelayScenario.run(fixture, settings));
            run(results, "partitioned", Store.POSTGRESQL,
                    fixture -> results.partitioned = PartitionedScenario.run(fixture, settings));
            run(results, "relaycost", Store.POSTGRESQL, fixture -> results.relayCost = RelayCostScenario.run(fixture, settings));
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(Fixture fixture) throws Exception;
    }

    /** Runs {@code step} on a fresh fixture of {@code store}, when {@code name} was chosen. */
    private void run(Results results, String name, Store store, Step step) {
        if (!only.contains(name)) {
            return;
        }
        String label = name + " on " + store;
        log.info("=== {}", label);
        try (Fixture fixture = Fixture.open(store, workDirectory, pgName)) {
            step.run(fixture);
        } catch (Exception | Error e) {
            log.error("{} failed", label, e);
            results.failures.put(label, e.toString());
        }
    }

    /** Returns {@code problem}, logged as a scenario skipped; with {@code CI=true} nothing may be skipped: throws. */
    static String skipUnlessCi(String problem) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(problem + "; with CI=true every benchmark must run");
        }
        log.warn("{}: skipped", problem);
        return problem;
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

    /** Everything one run of the suite measured, for the tables, the chart and the smoke test. */
    static final class Results {

        final Settings settings;
        final List<Store> stores = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final List<AllocateScenarios.Throughput> throughput = new ArrayList<>();
        final List<AllocateScenarios.Contention> contention = new ArrayList<>();
        final List<GrowthScenario.Row> growth = new ArrayList<>();
        final List<ReallocationScenario.Row> reallocation = new ArrayList<>();
        final List<HttpScenario.Row> http = new ArrayList<>();
        final List<HttpScenario.AgainstFloor> httpFloor = new ArrayList<>();
        final Map<String, String> failures = new LinkedHashMap<>();
        /** The 1-minute load average and the cores other processes kept busy, sampled every 5 s. */
        final List<double[]> load = new ArrayList<>();
        ChildJvm.Output heap;
        RelayScenario.Result relay;
        SpringScenario.Result spring;
        PartitionedScenario.Result partitioned;
        RelayCostScenario.Result relayCost;
        KafkaRelayScenario.Result kafka;
        String postgresVersion;
        String revision;
        double totalSeconds;

        Results(Settings settings) {
            this.settings = settings;
        }

        List<GrowthScenario.Row> growth(Store store) {
            return growth.stream().filter(r -> r.store() == store).toList();
        }
    }
}
