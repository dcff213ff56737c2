package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Scenario 10, PostgreSQL: the schema with every table of a sku's rows hash-partitioned by sku (as
 * allocation-test-support lays it out, the step before a database distributed by sku) against the same
 * schema unpartitioned, each in a database of its own on the same server. Allocate throughput at 1 and 8
 * threads, the two alternating; the growth of scenario 3 on each, one after the other; and, on the
 * partitioned one, the plans ({@code EXPLAIN}) of an Allocate's statements, which name one partition a table.
 */
final class PartitionedScenario {

    /** The statements of an Allocate (and of a shrinking batch's lines), for a sku seeded by the growth. */
    private static final Map<String, String> STATEMENTS = statements();

    /** Throughput at 1 and 8 threads, plain then partitioned; the growth of each; the plans on the partitioned one. */
    record Result(List<LoadResult> plain, List<LoadResult> partitioned, List<GrowthScenario.Row> plainGrowth,
                  List<GrowthScenario.Row> partitionedGrowth, Map<String, String> plans) {
    }

    private PartitionedScenario() {
    }

    static Result run(Fixture plain, Settings settings) throws Exception {
        try (Fixture partitioned = Fixture.open(Store.POSTGRESQL, Path.of(System.getProperty("java.io.tmpdir")),
                plain.pgName() + "_by_sku")) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(partitioned.url());
            dataSource.setUser(partitioned.user());
            dataSource.setPassword(partitioned.password());
            TestDatabases.partitionBySku(dataSource);
            List<LoadResult> onPlain = new ArrayList<>();
            List<LoadResult> onPartitioned = new ArrayList<>();
            try (AllocationService plainService = plain.service(Locking.OPTIMISTIC);
                 AllocationService partitionedService = partitioned.service(Locking.OPTIMISTIC)) {
                for (int threads : List.of(1, 8)) {
                    List<LoadResult> results = LoadDriver.interleaved(List.of(
                            AllocateScenarios.variant(plain, "plain", plainService, null, false, settings.skus(), threads),
                            AllocateScenarios.variant(partitioned, "partitioned by sku", partitionedService, null, false,
                                    settings.skus(), threads)), settings, settings.rounds(), true, () -> {
                                plain.settle();
                                partitioned.settle();
                            });
                    onPlain.add(results.get(0));
                    onPartitioned.add(results.get(1));
                }
            }
            List<GrowthScenario.Row> plainGrowth = GrowthScenario.run(plain, settings);
            List<GrowthScenario.Row> partitionedGrowth = GrowthScenario.run(partitioned, settings);
            int top = settings.growthLevels().get(settings.growthLevels().size() - 1);
            return new Result(onPlain, onPartitioned, plainGrowth, partitionedGrowth,
                    plans(partitioned, "g0-" + top, "g0-" + top + "-b"));
        }
    }

    /** The plan of each statement of {@link #STATEMENTS} for {@code sku} and its batch {@code batch}. */
    private static Map<String, String> plans(Fixture fixture, String sku, String batch) throws Exception {
        Map<String, String> plans = new LinkedHashMap<>();
        fixture.settle();
        try (Connection connection = fixture.connect(null); Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> entry : STATEMENTS.entrySet()) {
                String sql = entry.getValue().replace(":sku", "'" + sku + "'").replace(":batch", "'" + batch + "'");
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("EXPLAIN (COSTS OFF) " + sql)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
                plans.put(entry.getKey(), String.join("\n", lines));
            }
        }
        return plans;
    }

    private static Map<String, String> statements() {
        Map<String, String> statements = new LinkedHashMap<>();
        statements.put("load the product and its batches", "SELECT p.sku, p.version, b.reference, b.purchased_quantity, "
                + "b.allocated_quantity, b.eta FROM products p LEFT JOIN batches b ON b.sku = p.sku WHERE p.sku = :sku "
                + "ORDER BY b.id");
        statements.put("look the order's line up", "SELECT batchref, qty FROM allocations WHERE orderid = 'o' AND sku = :sku");
        statements.put("bump the version", "UPDATE products SET version = version + 1 WHERE sku = :sku AND version = 1");
        statements.put("update the batch", "UPDATE batches SET purchased_quantity = 1, allocated_quantity = 1 "
                + "WHERE sku = :sku AND reference = :batch");
        statements.put("write the read model's row", "UPDATE allocations_view SET batchref = :batch, version = 2 "
                + "WHERE orderid = 'o' AND sku = :sku AND version < 2");
        statements.put("a shrinking batch's lines", "SELECT orderid, qty FROM allocations WHERE sku = :sku "
                + "AND batchref = :batch ORDER BY id");
        return statements;
    }
}
