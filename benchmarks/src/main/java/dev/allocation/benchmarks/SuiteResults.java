package dev.allocation.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run of the suite measured, for the tables, the chart and the smoke test. */
final class SuiteResults {

    final Settings settings;
    final List<Store> stores = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<ThroughputScenario.Row> throughput = new ArrayList<>();
    final List<ContentionScenario.Row> contention = new ArrayList<>();
    final List<GrowthScenario.Row> growth = new ArrayList<>();
    final List<ReallocationScenario.Row> reallocation = new ArrayList<>();
    final List<HttpScenario.Row> http = new ArrayList<>();
    final Map<String, String> failures = new LinkedHashMap<>();
    /** The 1-minute load average and the cores other processes kept busy, sampled every 5 s. */
    final List<double[]> load = new ArrayList<>();
    InMemoryBusBenchmark.Result jmh;
    HeapScenario.Result heap;
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
