package dev.allocation.benchmarks;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL that adapters-jdbc issues, copied statement by statement for the raw reference, with JDBI's
 * named parameters made positional. {@link #drift()} compares the copies with the adapter's own text,
 * so that a report never compares the adapter with statements it no longer runs.
 */
final class ReferenceSql {

    static final String PRODUCT_WITH_BATCHES = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
            FROM products p
            LEFT JOIN batches b ON b.sku = p.sku
            WHERE p.sku = ?
            ORDER BY b.id""";
    static final String PRODUCT_WITH_BATCHES_BY_BATCH_REF = """
            SELECT p.sku, p.version, b.reference, b.purchased_quantity, b.allocated_quantity, b.eta
            FROM products p
            LEFT JOIN batches b ON b.sku = p.sku
            WHERE p.sku = (SELECT sku FROM batches WHERE reference = ?)
            ORDER BY b.id""";
    static final String LOCK_PRODUCT = "SELECT sku, version FROM products WHERE sku = ? FOR UPDATE";
    static final String BATCHES = """
            SELECT reference, purchased_quantity, allocated_quantity, eta
            FROM batches
            WHERE sku = ?
            ORDER BY id""";
    static final String LINE_OF_ORDER = "SELECT batchref, qty FROM allocations WHERE orderid = ? AND sku = ?";
    static final String LINES_OF_BATCH = "SELECT orderid, qty FROM allocations WHERE batchref = ? ORDER BY id";
    static final String UPDATE_PRODUCT_VERSION = "UPDATE products SET version = ? WHERE sku = ? AND version = ?";
    static final String INSERT_LINE = "INSERT INTO allocations (orderid, sku, qty, batchref) VALUES (?, ?, ?, ?)";
    static final String DELETE_LINE = "DELETE FROM allocations WHERE orderid = ? AND sku = ? AND batchref = ?";
    static final String UPDATE_BATCH =
            "UPDATE batches SET purchased_quantity = ?, allocated_quantity = ? WHERE reference = ?";

    private static final String REPOSITORY = "dev.allocation.adapters.jdbc.JdbiProductRepository";
    private static final String LINES = "dev.allocation.adapters.jdbc.JdbiAllocatedLines";
    private static final String DIALECT = "dev.allocation.adapters.jdbc.Dialect";

    private ReferenceSql() {
    }

    /**
     * Where the copies differ from the adapter's statements (whitespace aside, named parameters read as
     * {@code ?}); empty when they all match.
     */
    static List<String> drift() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(REPOSITORY + ".PRODUCT_WITH_BATCHES", PRODUCT_WITH_BATCHES);
        expected.put(REPOSITORY + ".PRODUCT_WITH_BATCHES_BY_BATCH_REF", PRODUCT_WITH_BATCHES_BY_BATCH_REF);
        expected.put(REPOSITORY + ".LOCK_PRODUCT", LOCK_PRODUCT);
        expected.put(REPOSITORY + ".BATCHES", BATCHES);
        expected.put(REPOSITORY + ".UPDATE_PRODUCT_VERSION", UPDATE_PRODUCT_VERSION);
        expected.put(REPOSITORY + ".INSERT_LINE", INSERT_LINE);
        expected.put(REPOSITORY + ".DELETE_LINE", DELETE_LINE);
        expected.put(REPOSITORY + ".UPDATE_BATCH", UPDATE_BATCH);
        expected.put(LINES + ".LINE_OF_ORDER", LINE_OF_ORDER);
        expected.put(LINES + ".LINES_OF_BATCH", LINES_OF_BATCH);
        List<String> differences = new ArrayList<>();
        expected.forEach((name, copy) -> {
            int dot = name.lastIndexOf('.');
            try {
                Field field = Class.forName(name.substring(0, dot)).getDeclaredField(name.substring(dot + 1));
                field.setAccessible(true);
                compare(name, (String) field.get(null), copy, differences);
            } catch (ReflectiveOperationException | RuntimeException e) {
                differences.add(name + ": cannot read it (" + e + ")");
            }
        });
        for (SqlDialect dialect : SqlDialect.values()) {
            compareDialect(dialect, "refreshView", dialect.refreshView(), differences);
            compareDialect(dialect, "writeView", dialect.writeView(), differences);
        }
        return differences;
    }

    private static void compareDialect(SqlDialect dialect, String method, String copy, List<String> differences) {
        String name = DIALECT + "." + dialect.name() + "." + method + "()";
        try {
            Class<?> type = Class.forName(DIALECT);
            Method statement = type.getDeclaredMethod(method);
            statement.setAccessible(true);
            Object constant = java.util.Arrays.stream(type.getEnumConstants())
                    .filter(c -> ((Enum<?>) c).name().equals(dialect.name())).findFirst().orElseThrow();
            compare(name, (String) statement.invoke(constant), copy, differences);
        } catch (ReflectiveOperationException | RuntimeException e) {
            differences.add(name + ": cannot read it (" + e + ")");
        }
    }

    private static void compare(String name, String adapter, String copy, List<String> differences) {
        if (!normalize(adapter).equals(normalize(copy))) {
            differences.add(name + " is now: " + normalize(adapter));
        }
    }

    private static String normalize(String sql) {
        return sql.replaceAll("(?<![:\\w]):[A-Za-z_]\\w*", "?").replaceAll("\\s+", " ").trim();
    }
}
