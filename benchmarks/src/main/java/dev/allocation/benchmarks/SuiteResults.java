package dev.allocation.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run of the suite measured, for the report, the chart and the smoke test. */
final class SuiteResults {

    final Settings settings;
    final List<Store> stores = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<ThroughputScenario.Row> throughput = new ArrayList<>();
    final List<ThroughputScenario.Durability> durability = new ArrayList<>();
    final List<ContentionScenario.Row> contention = new ArrayList<>();
    final List<GrowthScenario.Row> growth = new ArrayList<>();
    final List<ReallocationScenario.Row> reallocation = new ArrayList<>();
    final List<HttpScenario.Row> http = new ArrayList<>();
    final List<HttpScenario.NoDelay> httpNoDelay = new ArrayList<>();
    final Map<Store, AdapterCostScenario.Result> adapterCost = new LinkedHashMap<>();
    final Map<String, String> failures = new LinkedHashMap<>();
    final Map<String, Double> scenarioSeconds = new LinkedHashMap<>();
    InMemoryBusBenchmark.Result jmh;
    HeapScenario.Result heap;
    List<String> sqlDrift = List.of();
    boolean rawServerPrepared = true;
    String postgresVersion;
    String revision;
    final List<Double> otherCpu = new ArrayList<>();
    /** The system's 1-minute load average, at the start, then every 5 s. */
    final List<Double> loadAverages = new ArrayList<>();
    double totalSeconds;

    SuiteResults(Settings settings) {
        this.settings = settings;
    }

    ThroughputScenario.Row throughput(Store store, int threads) {
        return throughput.stream().filter(r -> r.store() == store && r.threads() == threads).findFirst().orElse(null);
    }

    ContentionScenario.Row contention(Store store, ContentionScenario.Variant variant) {
        return contention.stream().filter(r -> r.store() == store && r.variant() == variant).findFirst().orElse(null);
    }

    List<GrowthScenario.Row> growth(Store store) {
        return growth.stream().filter(r -> r.store() == store).toList();
    }
}
