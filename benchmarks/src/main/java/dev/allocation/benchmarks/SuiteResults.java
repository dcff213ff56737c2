package dev.allocation.benchmarks;

import java.util.*;

/** Everything one run of the suite measured, for the tables, the chart and the smoke test. */
final class SuiteResults {

    final Settings settings;
    final List<Store> stores = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<AllocateScenarios.Throughput> throughput = new ArrayList<>();
    final List<AllocateScenarios.Contention> contention = new ArrayList<>();
    final List<GrowthScenario.Row> growth = new ArrayList<>();
    final List<ReallocationScenario.Row> reallocation = new ArrayList<>();
    final List<HttpScenario.Row> http = new ArrayList<>();
    final Map<String, String> failures = new LinkedHashMap<>();
    /** The 1-minute load average and the cores other processes kept busy, sampled every 5 s. */
    final List<double[]> load = new ArrayList<>();
    InMemoryBusBenchmark.Outcome jmh;
    HeapScenario.Result heap;
    RelayScenario.Result relay;
    String postgresVersion;
    String revision;
    double totalSeconds;

    SuiteResults(Settings settings) {
        this.settings = settings;
    }

    List<GrowthScenario.Row> growth(Store store) {
        return growth.stream().filter(r -> r.store() == store).toList();
    }
}
