package dev.allocation.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.*;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.*;
import org.junit.jupiter.api.*;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's check of the benchmarks: not a gate on speed (the machines are noisy), only that every scenario
 * still runs to the end on every store and measures something. One very short run ({@code smoke}) of
 * the whole suite; PostgreSQL's scenarios are skipped when no server answers, unless {@code CI=true}.
 */
class BenchmarkSuiteSmokeTest {

    @TempDir
    static Path work;

    private static BenchmarkSuite.Results results;

    @BeforeAll
    static void runTheSuiteOnce() {
        results = new BenchmarkSuite(Settings.of("smoke"), Set.of("all"), work,
                "allocation_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).run();
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
    void allocate_throughput_is_measured_for_the_service_and_the_raw_twin() {
        assertThat(results.throughput).hasSize(results.stores.size() * results.settings.threads().size());
        for (AllocateScenarios.Throughput row : results.throughput) {
            assertThat(row.service().throughput()).as(row.store() + " x" + row.threads()).isPositive();
            assertThat(row.service().p99Micros()).as(row.store() + " x" + row.threads()).isPositive();
            assertThat(row.service().failures()).as(row.store() + " x" + row.threads()).isZero();
            if (row.store().isJdbc()) {
                assertThat(row.raw().throughput()).as(row.store() + " raw x" + row.threads()).isPositive();
                assertThat(row.raw().failures()).as(row.store() + " raw x" + row.threads()).isZero();
            }
            if (row.store() == Store.POSTGRESQL) {
                assertThat(row.withoutOutbox().throughput()).as("without outbox x" + row.threads()).isPositive();
                assertThat(row.floor().throughput()).as("the floor x" + row.threads()).isPositive();
            }
        }
    }

    @Test
    void each_variant_of_scenario_1_has_its_processor_time_per_allocate_and_the_tables_print_it() throws Exception {
        boolean linux = Files.isReadable(Path.of("/proc/stat"));
        for (AllocateScenarios.Throughput row : results.throughput) {
            for (LoadResult result : Arrays.asList(row.service(), row.raw(), row.withoutOutbox(), row.floor())) {
                if (result == null) {
                    continue;
                }
                double[] each = result.processor().perOperation(result.operations());
                assertThat(each[1]).as(result.label() + ": the JVM's µs per Allocate").isPositive();
                if (linux) {
                    assertThat(each[0]).as(result.label() + ": the machine's µs per Allocate").isPositive();
                    assertThat(each[2]).as(result.label() + ": context switches per Allocate").isPositive();
                }
                if (linux && row.store() == Store.POSTGRESQL && postgresIsLocal()) {
                    assertThat(each[3]).as(result.label() + ": PostgreSQL's µs per Allocate").isPositive()
                            .isLessThan(each[0]);
                }
            }
        }
        Path file = work.resolve("processor.md");
        Tables.write(results, file);
        assertThat(Files.readString(file)).contains("### 1b. Processor time per Allocate")
                .contains(linux ? " switches |" : "JVM ");
        if (linux && results.stores.contains(Store.POSTGRESQL) && postgresIsLocal()) {
            assertThat(Files.readString(file)).contains(", PostgreSQL ");
        }
    }

    @Test
    void the_http_floor_comparison_splits_the_jvms_time_by_its_threads_and_the_tables_print_it() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/task")), "Linux's /proc lists the JVM's threads");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(results.httpFloor).as("5b runs on PostgreSQL").isNotEmpty();
        }
        for (HttpScenario.AgainstFloor row : results.httpFloor) {
            Map<String, Double> api = row.allocates().processor().threads();
            Map<String, Double> floor = row.floor().processor().threads();
            assertThat(api.keySet()).as("the API's groups").containsAll(ProcessorTime.GROUPS);
            assertThat(api.get("server")).as("the API's Jetty threads at %d clients", row.clients()).isPositive();
            assertThat(floor.get("clients")).as("the floor's client threads at %d clients", row.clients()).isPositive();
            assertThat(floor.get("server")).as("Jetty's threads wait while the floor runs")
                    .isLessThan(api.get("server"));
        }
        Path file = work.resolve("threads.md");
        Tables.write(results, file);
        if (!results.httpFloor.isEmpty()) {
            assertThat(Files.readString(file)).contains("the JVM's threads, µs per request").contains("| server ");
        }
    }

    /** Whether the suite's PostgreSQL runs on this machine, where its processes' time can be read. */
    private static boolean postgresIsLocal() {
        String host = Objects.requireNonNullElse(System.getenv("PGHOST"), "127.0.0.1");
        return host.equals("127.0.0.1") || host.equals("localhost") || host.startsWith("/");
    }

    @Test
    void contention_runs_every_locking_variant_without_failed_commands() {
        assertThat(results.contention).hasSize(1 + 4 * (results.stores.size() - 1)).allSatisfy(row -> {
            assertThat(row.result().throughput()).as(row.store() + " " + row.variant()).isPositive();
            assertThat(row.result().failures()).as(row.store() + " " + row.variant()).isZero();
        });
    }

    @Test
    void growth_measures_every_level_on_every_store() {
        for (Store store : results.stores) {
            assertThat(results.growth(store)).as(store.toString()).hasSize(results.settings.growthLevels().size())
                    .allSatisfy(row -> {
                        assertThat(row.service()).isPositive();
                        assertThat(row.raw() != null && row.raw() > 0).isEqualTo(store.isJdbc());
                    });
        }
    }

    @Test
    void the_relay_drains_its_backlog_and_times_events_to_the_stream() {
        if (results.stores.contains(Store.POSTGRESQL)) {
            assertThat(results.relay).as("the relay scenario (needs Redis)").isNotNull();
            assertThat(results.relay.drain().status()).isEqualTo("ok");
            assertThat(results.relay.perSecond()).isPositive();
            assertThat(results.relay.measured()).isPositive();
            assertThat(results.relay.twoDrain().status()).as("two relays at once").isEqualTo("ok");
            assertThat(results.relay.twoEntries()).as("stream entries of the two relays")
                    .isGreaterThanOrEqualTo(results.relay.backlog());
        }
    }

    @Test
    void the_relay_to_kafka_drains_its_backlog_times_events_to_the_topic_and_costs_a_command_as_redis_does() {
        if (results.stores.contains(Store.POSTGRESQL)) {
            assertThat(results.kafka).as("the Kafka scenario").isNotNull();
            assertThat(results.kafka.drain().status()).isEqualTo("ok");
            assertThat(results.kafka.measured()).isPositive();
            for (LoadResult result : List.of(results.kafka.withKafka(), results.kafka.withRedis())) {
                assertThat(result.throughput()).as(result.label()).isPositive();
                assertThat(result.failures()).as(result.label()).isZero();
            }
        }
    }

    @Test
    void reallocation_and_http_complete_on_every_store() {
        assertThat(results.reallocation).hasSize(results.stores.size())
                .allSatisfy(row -> assertThat(row.millis()).isPositive());
        assertThat(results.http).hasSize(results.stores.size() * 2)
                .allSatisfy(row -> assertThat(row.requestsPerSecond()).isPositive());
        assertThat(results.http).filteredOn(HttpScenario.Row::metrics).hasSize(results.stores.size())
                .allSatisfy(row -> assertThat(row.toMetricsOff()[0]).isPositive());
    }

    @Test
    void the_starters_bean_and_the_service_built_by_hand_are_both_measured_when_postgresql_answers() {
        if (!results.stores.contains(Store.POSTGRESQL)) {
            return;
        }
        for (LoadResult result : List.of(results.spring.starter(), results.spring.byHand())) {
            assertThat(result.throughput()).as(result.label()).isPositive();
            assertThat(result.failures()).as(result.label()).isZero();
        }
    }

    @Test
    void the_partitioned_database_is_measured_beside_the_plain_one_and_its_plans_name_one_partition_a_table() {
        if (!results.stores.contains(Store.POSTGRESQL)) {
            return;
        }
        assertThat(results.partitioned).as("the partitioned scenario").isNotNull();
        for (LoadResult result : List.of(results.partitioned.plain(), results.partitioned.partitioned()).stream()
                .flatMap(List::stream).toList()) {
            assertThat(result.throughput()).as(result.label()).isPositive();
            assertThat(result.failures()).as(result.label()).isZero();
        }
        assertThat(results.partitioned.partitionedGrowth()).hasSize(results.settings.growthLevels().size())
                .allSatisfy(row -> assertThat(row.service()).isPositive());
        assertThat(results.partitioned.plans()).isNotEmpty().allSatisfy((step, plan) ->
                assertThat(plan).as(step).containsPattern("_p\\d+\\b"));
    }

    @Test
    void the_relays_cost_is_measured_and_an_allocate_is_counted_when_postgresql_answers() {
        if (!results.stores.contains(Store.POSTGRESQL)) {
            return;
        }
        for (LoadResult result : List.of(results.relayCost.running(), results.relayCost.deferred())) {
            assertThat(result.throughput()).as(result.label()).isPositive();
            assertThat(result.failures()).as(result.label()).isZero();
        }
        assertThat(results.relayCost.writes()).as("transactions that wrote, per Allocate").isGreaterThanOrEqualTo(1);
    }

    @Test
    void the_small_heap_service_runs_when_postgresql_answers() {
        if (!results.stores.contains(Store.POSTGRESQL)) {
            return;
        }
        assertThat(results.heap.step("allocate").ok()).as(String.join("\n", results.heap.lines())).isTrue();
        assertThat(results.heap.step("shrink").ok()).as(String.join("\n", results.heap.lines())).isTrue();
    }

    @Test
    void the_report_names_autovacuum_when_postgresql_runs_without_it() throws Exception {
        if (!results.stores.contains(Store.POSTGRESQL)) {
            return;
        }
        try (Fixture fixture = Fixture.open(Store.POSTGRESQL, work,
                "allocation_bench_settings_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
             Connection connection = fixture.connect(null); Statement statement = connection.createStatement();
             ResultSet autovacuum = statement.executeQuery("SHOW autovacuum")) {
            autovacuum.next();
            if (autovacuum.getString(1).equals("off")) {
                assertThat(results.postgresVersion).contains("with autovacuum off");
            } else {
                assertThat(results.postgresVersion).doesNotContain("autovacuum");
            }
        }
    }

    @Test
    void the_tables_replace_their_own_part_of_the_file_and_the_chart_is_drawn() throws Exception {
        Path doc = work.resolve("benchmarks.md");
        Path chart = work.resolve("allocate-growth.png");
        Files.writeString(doc, "# Written by hand\n\n" + Tables.BEGIN + "\nold\n" + Tables.END + "\n\nAnalysis by hand.\n");
        Tables.write(results, doc);
        GrowthChart.write(results, chart);
        assertThat(Files.readString(doc)).startsWith("# Written by hand").endsWith("Analysis by hand.\n")
                .doesNotContain("\nold\n").contains("### 1. Allocate throughput", "### 2. Contention", "### 3. Growth",
                        "### 4. Reallocation", "### 5. HTTP");
        assertThat(Files.size(chart)).isPositive();
    }
}
