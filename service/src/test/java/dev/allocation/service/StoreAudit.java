package dev.allocation.service;

import dev.allocation.service.LoadClients.Line;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;

/**
 * The store of a stopped service read directly with JDBC (tables {@code batches}, {@code allocations} and the
 * read model {@code allocations_view}), and the promises of the API's "Durability and atomicity" checked
 * against what the clients were told: every acknowledged line is held, once, by a batch of its sku; no batch
 * holds more than it has; the read model and {@code GET /allocations} agree with the store for every order.
 */
final class StoreAudit {

    private static final int EXAMPLES = 5;

    /** A row of {@code batches}. */
    record Batch(String reference, String sku, int purchased, int allocated) {
    }

    /** A row of {@code allocations}: the batch holding one order line. */
    record Held(String orderId, String sku, int qty, String batchRef) {
    }

    /** An order line's key: an order holds at most one line per sku. */
    record Key(String orderId, String sku) {
    }

    private final Map<String, Batch> batches;
    private final List<Held> allocations;
    private final Map<Key, String> view;   // batchref, null for a tombstone
    private final Map<String, Map<String, String>> answers;

    private StoreAudit(Map<String, Batch> batches, List<Held> allocations, Map<Key, String> view,
                       Map<String, Map<String, String>> answers) {
        this.batches = batches;
        this.allocations = allocations;
        this.view = view;
        this.answers = answers;
    }

    /**
     * Restarts the service on {@code storage} with {@code options}, asks it {@code GET /allocations/<order>}
     * for every acknowledged order, stops it (SIGTERM; H2 files stay locked while it runs), then reads the
     * store.
     */
    static StoreAudit afterRestart(ServiceStorage storage, List<String> options, Collection<Line> acknowledged)
            throws Exception {
        Map<String, Map<String, String>> answers;
        try (ServiceProcess restarted = ServiceProcess.start("restarted-on-" + storage.kind(), options,
                storage.environment())) {
            answers = LoadClients.allocationsOf(restarted.port(),
                    acknowledged.stream().map(Line::orderId).collect(Collectors.toSet()));
            restarted.terminate(Duration.ofSeconds(30));
        }
        return read(storage.database().dataSource(), answers);
    }

    /** Reads the three tables, each in full; {@code answers} are what GET said, per order. */
    static StoreAudit read(DataSource dataSource, Map<String, Map<String, String>> answers) throws SQLException {
        Map<String, Batch> batches = new HashMap<>();
        List<Held> allocations = new ArrayList<>();
        Map<Key, String> view = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            query(statement, "SELECT reference, sku, purchased_quantity, allocated_quantity FROM batches", row ->
                    batches.put(string(row, 1), new Batch(string(row, 1), string(row, 2), integer(row, 3), integer(row, 4))));
            query(statement, "SELECT orderid, sku, qty, batchref FROM allocations", row ->
                    allocations.add(new Held(string(row, 1), string(row, 2), integer(row, 3), string(row, 4))));
            query(statement, "SELECT orderid, sku, batchref FROM allocations_view", row ->
                    view.put(new Key(string(row, 1), string(row, 2)), string(row, 3)));
        }
        return new StoreAudit(batches, allocations, view, Map.copyOf(answers));
    }

    Batch batch(String reference) {
        return batches.get(reference);
    }

    /** The batch holding the order's line of {@code sku}, or null. */
    String heldBy(String orderId, String sku) {
        return allocations.stream().filter(held -> held.orderId().equals(orderId) && held.sku().equals(sku))
                .map(Held::batchRef).findFirst().orElse(null);
    }

    /** Checks every promise at once and fails with every one broken, with counts and a few examples. */
    void assertKeeps(Collection<Line> acknowledged) {
        SoftAssertions softly = new SoftAssertions();
        check(softly, acknowledged);
        softly.assertAll();
    }

    /**
     * Checks every promise on {@code softly}: the acknowledged lines against the store and against the
     * restarted service's answers to GET (sku to batch; empty for a 404), the batches, the read model.
     */
    void check(SoftAssertions softly, Collection<Line> acknowledged) {
        Map<Key, List<Held>> heldByKey = new HashMap<>();
        Map<String, Integer> heldByBatch = new HashMap<>();
        for (Held held : allocations) {
            heldByKey.computeIfAbsent(new Key(held.orderId(), held.sku()), key -> new ArrayList<>()).add(held);
            heldByBatch.merge(held.batchRef(), held.qty(), Integer::sum);
        }

        List<String> lost = new ArrayList<>();
        List<String> wrongQuantity = new ArrayList<>();
        List<String> answeredOtherwise = new ArrayList<>();
        for (Line line : acknowledged) {
            List<Held> held = heldByKey.getOrDefault(new Key(line.orderId(), line.sku()), List.of());
            String answered = answers.getOrDefault(line.orderId(), Map.of()).get(line.sku());
            if (held.isEmpty()) {
                lost.add(line + " (GET answers " + (answered == null ? "404" : answered) + ")");
                continue;
            }
            if (held.get(0).qty() != line.qty()) {
                wrongQuantity.add(line + " held as " + held);
            }
            if (!held.get(0).batchRef().equals(answered)) {
                answeredOtherwise.add(line + " is held by " + held.get(0).batchRef() + ", GET answers "
                        + (answered == null ? "404" : answered));
            }
        }
        List<String> heldTwice = heldByKey.values().stream().filter(held -> held.size() > 1).map(Object::toString).toList();
        List<String> overAllocated = batches.values().stream().filter(b -> b.allocated() > b.purchased())
                .map(Object::toString).toList();
        List<String> miscounted = batches.values().stream()
                .filter(b -> b.allocated() != heldByBatch.getOrDefault(b.reference(), 0))
                .map(b -> b + " holds lines of " + heldByBatch.getOrDefault(b.reference(), 0) + " units").toList();
        List<String> unknownBatches = heldByBatch.keySet().stream().filter(ref -> !batches.containsKey(ref)).toList();
        List<String> viewDisagrees = new ArrayList<>();
        for (Key key : union(heldByKey.keySet(), view.keySet())) {
            List<Held> held = heldByKey.getOrDefault(key, List.of());
            String heldBy = held.isEmpty() ? null : held.get(0).batchRef();
            if (!Objects.equals(heldBy, view.get(key))) {
                String says = !view.containsKey(key) ? "nothing (no row)"
                        : view.get(key) == null ? "not allocated (tombstone)" : view.get(key);
                viewDisagrees.add(key + " is held by " + (heldBy == null ? "no batch" : heldBy)
                        + ", the read model says " + says);
            }
        }

        check(softly, "acknowledged lines the store does not hold (lost)", lost);
        check(softly, "acknowledged lines held with another quantity", wrongQuantity);
        check(softly, "acknowledged lines GET /allocations does not show as held by the store's batch", answeredOtherwise);
        check(softly, "order lines held twice", heldTwice);
        check(softly, "over-allocated batches", overAllocated);
        check(softly, "batches whose allocated_quantity is not the sum of the lines they hold", miscounted);
        check(softly, "lines held by a batch that does not exist", unknownBatches);
        check(softly, "order lines on which the read model (allocations_view) disagrees with the store", viewDisagrees);
    }

    private static void check(SoftAssertions softly, String what, List<String> violations) {
        softly.assertThat(violations.size())
                .as("%s; the first ones: %s", what, violations.subList(0, Math.min(EXAMPLES, violations.size())))
                .isZero();
    }

    @Override
    public String toString() {
        long tombstones = view.values().stream().filter(Objects::isNull).count();
        return batches.size() + " batches, " + allocations.size() + " lines held, read model " + view.size()
                + " rows (" + tombstones + " tombstones)";
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }

    private interface Row {
        void accept(ResultSet row) throws SQLException;
    }

    private static void query(Statement statement, String sql, Row each) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                each.accept(rows);
            }
        }
    }

    private static String string(ResultSet row, int column) throws SQLException {
        return row.getString(column);
    }

    private static int integer(ResultSet row, int column) throws SQLException {
        return row.getInt(column);
    }
}
