package dev.allocation.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's check of the benchmarks: not a gate on speed (the machines are noisy), only that every scenario
 * still runs to the end on every store and measures something. One very short run ({@code smoke}) of
 * the whole suite; PostgreSQL's scenarios are skipped when no server answers, unless {@code CI=true}.
 */
class BenchmarkSuiteSmokeTest {

    @TempDir
    static Path work;

    private static SuiteResults results;

    @BeforeAll
    static void runTheSuiteOnce() {
        results = new BenchmarkSuite(Settings.of("smoke"), BenchmarkSuite.scenarios("all"), work,
                "allocation_bench_" + BenchmarkSuite.shortId()).run();
    }

    @Test
    void every_scenario_completes_on_every_store() {
        assertThat(results.failures).isEmpty();
        assertThat(results.stores).contains(Store.MEMORY, Store.H2_MEMORY, Store.H2_FILE);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(results.stores).contains(Store.POSTGRESQL);
        }
    }

    @Test
    void allocate_throughput_is_measured_for_the_service_and_the_reference() {
        for (Store store : results.stores) {
            for (int threads : results.settings.threads()) {
                ThroughputScenario.Row row = results.throughput(store, threads);
                assertThat(row).as(store + " x" + threads).isNotNull();
                assertThat(row.service().throughput()).as(store + " x" + threads).isPositive();
                assertThat(row.service().p99Micros()).as(store + " x" + threads).isPositive();
                if (store.isJdbc()) {
                    assertThat(row.raw().throughput()).as(store + " raw x" + threads).isPositive();
                    assertThat(row.twoTransactions() != null).as(store + " two transactions x" + threads)
                            .isEqualTo(threads == 1);
                }
            }
        }
        assertThat(results.durability).isNotEmpty().allSatisfy(row -> {
            assertThat(row.durableService().throughput()).isPositive();
            assertThat(row.deferredService().throughput()).isPositive();
            assertThat(row.durableRaw().throughput()).isPositive();
            assertThat(row.deferredRaw().throughput()).isPositive();
        });
    }

    @Test
    void the_reference_copies_the_adapters_statements_and_commits_as_counted() {
        assertThat(results.sqlDrift).isEmpty();
        results.adapterCost.forEach((store, cost) -> {
            assertThat(cost.calls().commits()).as(store + " service").isEqualTo(1.0);
            assertThat(cost.calls().rawCommits()).as(store + " raw").containsEntry(RawSession.Shape.ONE_TRANSACTION, 1.0)
                    .containsEntry(RawSession.Shape.TWO_TRANSACTIONS, 2.0);
        });
    }

    @Test
    void contention_runs_every_locking_variant_without_failed_commands() {
        for (ContentionScenario.Row row : results.contention) {
            assertThat(row.result().throughput()).as(row.store() + " " + row.variant()).isPositive();
            assertThat(row.result().failures()).as(row.store() + " " + row.variant()).isZero();
        }
        assertThat(results.contention).hasSize(1 + 4 * (results.stores.size() - 1));
    }

    @Test
    void growth_measures_every_level_on_every_store() {
        for (Store store : results.stores) {
            assertThat(results.growth(store)).as(store.label()).hasSize(results.settings.growthLevels().size())
                    .allSatisfy(row -> assertThat(row.service().mean()).isPositive());
        }
    }

    @Test
    void reallocation_and_http_complete_on_every_store() {
        assertThat(results.reallocation).hasSize(results.stores.size())
                .allSatisfy(row -> assertThat(row.service()).isPositive());
        assertThat(results.http).hasSize(results.stores.size())
                .allSatisfy(row -> assertThat(row.requestsPerSecond()).isPositive());
    }

    @Test
    void the_in_memory_bus_is_measured_with_jmh() {
        assertThat(results.jmh).isNotNull();
        assertThat(results.jmh.score()).isPositive();
    }

    @Test
    void the_small_heap_service_runs_when_postgresql_answers() {
        if (!results.stores.contains(Store.POSTGRESQL)) {
            return;
        }
        assertThat(results.heap.step("allocate")).isNotNull();
        assertThat(results.heap.step("allocate").ok()).as(String.join("\n", results.heap.output())).isTrue();
    }

    @Test
    void the_report_and_the_chart_are_written() throws Exception {
        Path report = work.resolve("benchmarks.md");
        Path chart = work.resolve("allocate-growth.png");
        Report.write(results, report);
        GrowthChart.write(results, chart);
        assertThat(Files.readString(report)).contains("## Summary: each measurement against its target",
                "## 1. Allocate end to end", "### One transaction per Allocate against two",
                "### Durable H2 files", "## 3. Growth", "## 6. In memory", "Commits per Allocate");
        assertThat(Files.size(chart)).isPositive();
    }
}
