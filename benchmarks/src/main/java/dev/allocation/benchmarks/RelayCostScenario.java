package dev.allocation.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scenario 11, PostgreSQL, one thread: what an Allocate costs the wire and the database, and what the
 * outbox relay running beside the commands costs them (issue 23's first step: where the time goes). The
 * same service twice, each on a HikariCP pool of its own in a schema of its own: one with its relay
 * running, one with its relay never started ({@code deferRelay}), so that the second records its events
 * and nothing claims or marks them; they alternate (A B, B A) in four times the usual rounds. Then, on the
 * one with its relay running, a counted run: the TCP segments sent on the machine (Linux's
 * {@code /proc/net/snmp}; both directions of loopback, so a round trip is about two) and the
 * transactions that wrote (each took a transaction id), the relay's included, each per Allocate.
 */
final class RelayCostScenario {

    /** The two services measured, and the counts per Allocate of the one with its relay running. */
    record Result(LoadResult running, LoadResult deferred, int counted, double segments, double writes) {
    }

    private RelayCostScenario() {
    }

    static Result run(Fixture fixture, Settings settings) throws Exception {
        try (HikariDataSource runningPool = fixture.pool("relay_running");
             HikariDataSource deferredPool = fixture.pool("relay_deferred");
             AllocationService running = Fixture.quietBuilder().jdbc(runningPool).build();
             AllocationService deferred = Fixture.quietBuilder().jdbc(deferredPool).deferRelay().build()) {
            List<LoadResult> results = LoadDriver.interleaved(List.of(
                    AllocateScenarios.variant(fixture, "relay running", running, "relay_running", false, settings.skus(), 1),
                    AllocateScenarios.variant(fixture, "relay deferred", deferred, "relay_deferred", false, settings.skus(), 1)),
                    settings, 4 * settings.rounds(), true, fixture::settle);
            int counted = settings.growthWarmupOps();
            Seeder.skus(fixture, running, "counted", settings.skus(), "relay_running");
            SplittableRandom random = new SplittableRandom(7);
            long firstId = transactionId(fixture);
            long segments = segmentsSent();
            for (int i = 0; i < counted; i++) {
                running.handle(new Allocate("counted-" + i, Seeder.sku("counted", random.nextInt(settings.skus())), 1));
            }
            double segmentsEach = (segmentsSent() - segments) / (double) counted;
            double writesEach = (transactionId(fixture) - firstId - 1) / (double) counted;
            return new Result(results.get(0), results.get(1), counted, segments < 0 ? Double.NaN : segmentsEach,
                    writesEach);
        }
    }

    /** TCP segments this machine sent so far; -1 where {@code /proc/net/snmp} is not there (not Linux). */
    private static long segmentsSent() throws Exception {
        Path snmp = Path.of("/proc/net/snmp");
        if (!Files.isReadable(snmp)) {
            return -1;
        }
        List<String> lines = Files.readAllLines(snmp);
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
                String[] names = lines.get(i).split(" ");
                String[] values = lines.get(i + 1).split(" ");
                for (int j = 0; j < names.length; j++) {
                    if (names[j].equals("OutSegs")) {
                        return Long.parseLong(values[j]);
                    }
                }
            }
        }
        return -1;
    }

    /**
     * A new transaction id of the server: two calls' ids, less one, count the transactions that wrote in
     * between (a read-only one takes no id), on a quiet server. Not {@code pg_stat_database}: backends
     * report to it up to a second late.
     */
    private static long transactionId(Fixture fixture) throws Exception {
        try (Connection connection = fixture.connect(null); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
