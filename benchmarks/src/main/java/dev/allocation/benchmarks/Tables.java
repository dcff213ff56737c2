package dev.allocation.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.*;

/**
 * Writes what a run measured as markdown tables, between the markers {@value #BEGIN} and {@value #END}
 * of the file; the text around them, written by hand, is kept. A file without the markers gets them.
 */
final class Tables {

    static final String BEGIN = "<!-- generated tables: BenchmarkSuite rewrites from here -->";
    static final String END = "<!-- generated tables: to here -->";

    private final StringBuilder out = new StringBuilder();

    private Tables() {
    }

    static void write(BenchmarkSuite.Results results, Path file) throws IOException {
        String tables = BEGIN + "\n\n" + new Tables().render(results) + "\n" + END;
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        text = begin >= 0 && end > begin ? text.substring(0, begin) + tables + text.substring(end + END.length())
                : text + (text.isEmpty() ? "" : "\n") + tables + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    String render(BenchmarkSuite.Results r) {
        Runtime runtime = Runtime.getRuntime();
        line("Run: `%s` mode, %s, commit %s, %.0f s. Machine: %d cores, %s %s, Java %s, PostgreSQL %s.",
                r.settings.mode(), Instant.now().truncatedTo(ChronoUnit.MINUTES), r.revision, r.totalSeconds,
                runtime.availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), r.postgresVersion == null ? "skipped" : r.postgresVersion);
        double[] load = new double[2];
        r.load.forEach(sample -> { load[0] = Math.max(load[0], sample[0]); load[1] += sample[1] / r.load.size(); });
        line("Load average at most %.2f; other processes used %.2f cores on average.%n", load[0], load[1]);
        r.skipped.forEach(problem -> line("Skipped: %s%n", problem));
        r.failures.forEach((label, failure) -> line("**Failed**: %s: %s%n", label, failure));

        table("### 1. Allocate throughput, service and raw twin interleaved",
                "store | threads | service /s | p50 µs | p99 µs | raw /s | raw p50 µs | raw p99 µs | service / raw (slices)"
                        + " | without outbox /s | service / without outbox (slices) | floor /s | service / floor (slices)"
                        + " | raw / floor (slices)");
        for (AllocateScenarios.Throughput row : r.throughput) {
            LoadResult s = row.service();
            LoadResult raw = row.raw();
            LoadResult bare = row.withoutOutbox();
            LoadResult floor = row.floor();
            row("%s | %d | %,.0f | %.0f | %.0f | %s | %s | %s", row.store(), row.threads(), s.throughput(), s.p50Micros(),
                    s.p99Micros(), raw == null ? "– | – | – | –" : String.format(Locale.ROOT, "%,.0f | %.0f | %.0f | %s",
                            raw.throughput(), raw.p50Micros(), raw.p99Micros(), ratio(s.ratioTo(raw))),
                    bare == null ? "– | –" : String.format(Locale.ROOT, "%,.0f | %s", bare.throughput(),
                            ratio(s.ratioTo(bare))),
                    floor == null ? "– | – | –" : String.format(Locale.ROOT, "%,.0f | %s | %s", floor.throughput(),
                            ratio(s.ratioTo(floor)), raw == null ? "–" : ratio(raw.ratioTo(floor))));
        }
        table("### 1b. Processor time per Allocate over the same slices: the machine's (every process and the kernel), "
                + "of which the suite's JVM (the clients included) and this machine's PostgreSQL server, and the context "
                + "switches",
                "store | threads | service | raw | without outbox | floor");
        for (AllocateScenarios.Throughput row : r.throughput) {
            row("%s | %d | %s | %s | %s | %s", row.store(), row.threads(), processor(row.service()),
                    processor(row.raw()), processor(row.withoutOutbox()), processor(row.floor()));
        }
        table("### 2. Contention: " + r.settings.contentionThreads() + " threads on one sku",
                "store | variant | Allocates /s | p50 µs | p99 µs | lost races retried per Allocate | failed");
        for (AllocateScenarios.Contention row : r.contention) {
            LoadResult c = row.result();
            row("%s | %s | %,.0f | %.0f | %.0f | %s | %d", row.store(), row.variant(), c.throughput(),
                    c.p50Micros(), c.p99Micros(), row.variant().contains("retried at once")
                            ? String.format(Locale.ROOT, "%.2f", (double) c.retries() / Math.max(1, c.operations())) : "–",
                    c.failures());
        }
        table("### 3. Growth: mean time per Allocate against allocations the sku holds, one thread",
                "store | held | service µs | × at 0 held | raw µs | × at 0 held");
        for (GrowthScenario.Row row : r.growth) {
            GrowthScenario.Row zero = r.growth(row.store()).get(0);
            row("%s | %,d | %.0f | %.2f | %s", row.store(), row.held(), row.service(), row.service() / zero.service(),
                    row.raw() == null ? "– | –" : String.format(Locale.ROOT, "%.0f | %.2f", row.raw(), row.raw() / zero.raw()));
        }
        table("### 4. Reallocation: a batch shrinks to 0, its lines move to another batch, one transaction",
                "store | lines | ms (median)");
        r.reallocation.forEach(row -> row("%s | %,d | %.0f", row.store(), row.lines(), row.millis()));
        table("### 5. HTTP on loopback: POST /allocate then GET /allocations/{orderid}, metrics off and on",
                "store | server | clients | requests /s | POST p50 µs | POST p99 µs | GET p50 µs | GET p99 µs"
                        + " | metrics on / off (slices)");
        for (HttpScenario.Row row : r.http) {
            row("%s | Jetty 12%s | %d | %,.0f | %.0f | %.0f | %.0f | %.0f | %s", row.store(), row.metrics() ? ", metrics on"
                    : "", row.clients(), row.requestsPerSecond(), row.allocateP50(), row.allocateP99(), row.readP50(),
                    row.readP99(), row.toMetricsOff() == null ? "–" : ratio(row.toMetricsOff()));
        }
        if (!r.httpFloor.isEmpty()) {
            table("### 5b. HTTP POST /allocate alone against the commit floor (PostgreSQL's own allocate at as many "
                    + "clients), interleaved", "clients | POST /allocate /s | p50 µs | p99 µs | floor /s | HTTP / floor (slices)"
                    + " | processor per request (as in 1b) | processor per floor transaction"
                    + " | the JVM's threads, µs per request | the JVM's threads, µs per floor transaction");
            for (HttpScenario.AgainstFloor row : r.httpFloor) {
                LoadResult a = row.allocates();
                row("%d | %,.0f | %.0f | %.0f | %,.0f | %s | %s | %s | %s | %s", row.clients(), a.throughput(),
                        a.p50Micros(), a.p99Micros(), row.floor().throughput(), ratio(a.ratioTo(row.floor())), processor(a),
                        processor(row.floor()), a.processor().describeThreads(a.operations()),
                        row.floor().processor().describeThreads(row.floor().operations()));
            }
        }
        if (r.heap != null) {
            table(String.format(Locale.ROOT, "### 6. Heap: a service in a %s JVM, %,d allocations held in PostgreSQL,"
                    + " %,d Allocates and %,d reads", ChildJvm.HEAP, r.settings.heapAllocations(), r.settings.heapNewAllocations(),
                    r.settings.heapReads()), "step | outcome | ms | heap used after a full GC, MB");
            r.heap.steps().forEach(s -> row("%s | %s | %,d | %.0f", s.name(), s.status(), s.millis(), s.usedAfterGcMb()));
        }
        if (r.relay != null) {
            RelayScenario.Result relay = r.relay;
            table("### 7. Outbox relay to Redis (stream and channel), PostgreSQL", "measure | events | outcome | figure");
            drained(relay.backlog(), relay.drain(), relay.perSecond());
            row("the same, two relays in two JVMs at once | %,d | %s | %,.0f events/s (%,d ms), %,d stream entries;"
                    + " a backend waited on a lock in %,d of %,d samples", relay.backlog(), relay.twoDrain().status(),
                    relay.twoPerSecond(), relay.twoDrain().millis(), relay.twoEntries(), relay.lockWaits().waiting(),
                    relay.lockWaits().samples());
            timed("command sent to stream entry", relay.rate(), relay.measured(), relay.p50Micros(), relay.p99Micros(),
                    relay.maxMicros());
        }
        if (r.spring != null) {
            table("### 8. The Spring Boot starter's bean against the service built by hand, PostgreSQL, one thread",
                    "service | Allocates /s | p50 µs | p99 µs | failed | starter / by hand (slices)");
            for (LoadResult s : List.of(r.spring.starter(), r.spring.byHand())) {
                row("%s | %,.0f | %.0f | %.0f | %d | %s", s.label(), s.throughput(), s.p50Micros(), s.p99Micros(),
                        s.failures(), s == r.spring.byHand() ? "–" : ratio(s.ratioTo(r.spring.byHand())));
            }
        }
        if (r.kafka != null) {
            KafkaRelayScenario.Result kafka = r.kafka;
            table("### 9. Outbox relay to Kafka (a broker in the suite's JVM), PostgreSQL", "measure | events | outcome | figure");
            drained(kafka.backlog(), kafka.drain(), kafka.perSecond());
            timed("command sent to record on the topic", kafka.rate(), kafka.measured(), kafka.p50Micros(),
                    kafka.p99Micros(), kafka.maxMicros());
            for (LoadResult s : List.of(kafka.withKafka(), kafka.withRedis())) {
                row("Allocate, one thread, %s | – | %d failed | %,.0f /s, p99 %.0f µs%s", s.label(), s.failures(),
                        s.throughput(), s.p99Micros(), s == kafka.withRedis() ? ""
                                : ", Kafka / Redis " + ratio(s.ratioTo(kafka.withRedis())));
            }
        }
        if (r.partitioned != null) {
            PartitionedScenario.Result p = r.partitioned;
            table("### 10. Partitioned by sku (8 hash partitions a table) against plain, PostgreSQL",
                    "threads | plain Allocates /s | partitioned Allocates /s | partitioned p99 µs | failed | partitioned / plain (slices)");
            for (int i = 0; i < p.plain().size(); i++) {
                LoadResult plain = p.plain().get(i);
                LoadResult partitioned = p.partitioned().get(i);
                row("%d | %,.0f | %,.0f | %.0f | %d | %s", plain.threads(), plain.throughput(), partitioned.throughput(),
                        partitioned.p99Micros(), plain.failures() + partitioned.failures(), ratio(partitioned.ratioTo(plain)));
            }
            table("Growth, one thread: mean µs per Allocate against the allocations its sku holds",
                    "held | plain | partitioned | plain raw twin | partitioned raw twin");
            for (int i = 0; i < p.plainGrowth().size(); i++) {
                GrowthScenario.Row plain = p.plainGrowth().get(i);
                GrowthScenario.Row partitioned = p.partitionedGrowth().get(i);
                row("%,d | %.0f | %.0f | %.0f | %.0f", plain.held(), plain.service(), partitioned.service(), plain.raw(),
                        partitioned.raw());
            }
            GrowthScenario.Row first = p.partitionedGrowth().get(0);
            GrowthScenario.Row last = p.partitionedGrowth().get(p.partitionedGrowth().size() - 1);
            line("%nPartitioned, at %,d held against %,d: %.2f× the time per Allocate.%n", last.held(), first.held(),
                    last.service() / first.service());
            line("The plans on the partitioned database (`EXPLAIN (COSTS OFF)`, the growth's largest sku):%n");
            p.plans().forEach((step, plan) -> line("%s:%n%n```%n%s%n```%n", step, plan));
        }
        if (r.relayCost != null) {
            RelayCostScenario.Result c = r.relayCost;
            table("### 11. What an Allocate costs the wire and the database, and what the relay beside it costs, PostgreSQL, one thread",
                    "service | Allocates /s | p50 µs | p99 µs | failed | relay running / deferred (slices)");
            for (LoadResult s : List.of(c.running(), c.deferred())) {
                row("%s | %,.0f | %.0f | %.0f | %d | %s", s.label(), s.throughput(), s.p50Micros(), s.p99Micros(),
                        s.failures(), s == c.deferred() ? "–" : ratio(s.ratioTo(c.deferred())));
            }
            line("%nCounted over %,d Allocates with the relay running: %.1f TCP segments sent on the machine and %.2f"
                    + " transactions that wrote (the relay's included) per Allocate.%n", c.counted(), c.segments(), c.writes());
        }
        return out.toString();
    }

    /** The row of a backlog drained by a relay in a child JVM (scenarios 7 and 9). */
    private void drained(int backlog, ChildJvm.Step drain, double perSecond) {
        row("drain a backlog, relay in a %s JVM | %,d | %s | %,.0f events/s (%,d ms), %.0f MB used after a full GC",
                ChildJvm.HEAP, backlog, drain.status(), perSecond, drain.millis(), drain.usedAfterGcMb());
    }

    /** The row of events timed from their command to the broker at a steady rate (scenarios 7 and 9). */
    private void timed(String measure, int rate, long measured, long p50, long p99, long max) {
        row("%s, %,d Allocates/s | %,d | %s | p50 %,d µs, p99 %,d µs, max %,d µs", measure, rate, measured,
                measured > 0 ? "ok" : "none measured", p50, p99, max);
    }

    /** A variant's processor time per operation, or a dash for a variant not run. */
    private static String processor(LoadResult result) {
        return result == null ? "–" : result.processor().describe(result.operations());
    }

    private static String ratio(double[] ratio) {
        return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", ratio[0], ratio[1], ratio[2]);
    }

    private void table(String title, String header) {
        out.append('\n').append(title).append("\n\n| ").append(header).append(" |\n|")
                .append("---|".repeat(header.split("\\|").length)).append('\n');
    }

    private void row(String format, Object... values) {
        out.append("| ").append(String.format(Locale.ROOT, format, values)).append(" |\n");
    }

    private void line(String format, Object... values) {
        out.append(String.format(Locale.ROOT, format, values)).append('\n');
    }
}
