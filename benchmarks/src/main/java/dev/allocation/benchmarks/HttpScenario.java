package dev.allocation.benchmarks;

import dev.allocation.adapters.http.*;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.adapters.micrometer.AllocationMeters;
import dev.allocation.bootstrap.AllocationService;
import io.micrometer.prometheusmetrics.*;
import java.time.Duration;
import java.util.*;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 5: the HTTP API (adapters-http, default configuration: Jetty) on loopback in front of a
 * service, beside the same API in front of a twin service with every meter on (allocation-micrometer:
 * the bus's listener, the pool's meters, the outbox's gauges, a Prometheus registry, {@code /metrics}),
 * at 1, 8 and 32 clients ({@link Settings#httpClients()}). Each client sends
 * {@code POST /allocate} (expecting 202) then {@code GET /allocations/{orderid}} (expecting 200), and
 * nothing more until both are answered, on a keep-alive connection of its own ({@link KeepAliveClient}).
 * The two run in interleaved slices at each client count, so that whatever else the machine does weighs
 * on both alike. Client and server share the machine.
 *
 * <p>On PostgreSQL it then closes the metered twin and runs, interleaved at each client count,
 * {@code POST /allocate} alone (metrics off) beside PostgreSQL's own tight allocate at as many clients
 * ({@link FloorSession}): the commit floor, against one instance. Left running, the twin's relay would
 * hold half the outbox's buckets and, with no commit of its own to wake it, leave their events for its
 * poll, and every claim of the service's relay would walk over them.
 * Both run in turn until the JIT compiler has settled before the slices are measured
 * ({@link LoadDriver#interleavedOnceCompiled}): the API's code path is long, and its compilation can go
 * on beside the load long after the warm-up, which the floor's short path does not pay. Their slices
 * then take turns in twice the suite's rounds, the order reversed every other round, so that each runs
 * right after the other as often.
 */
final class HttpScenario {

    /**
     * The API with metrics on or off, at one client count on one store: pairs of requests, and each request
     * kind's p50 and p99 (µs); with metrics on, its ratio to the API with them off, slice by slice.
     */
    record Row(Store store, boolean metrics, int clients, LoadResult pairs, double allocateP50, double allocateP99,
               double readP50, double readP99, double[] toMetricsOff) {
        double requestsPerSecond() {
            return pairs.throughput() * 2;
        }
    }

    /** At one client count: {@code POST /allocate} alone, and the floor at as many clients, interleaved. */
    record AgainstFloor(int clients, LoadResult allocates, LoadResult floor) {
    }

    /** Both parts of the scenario: {@code floor} is empty off PostgreSQL. */
    record Result(List<Row> rows, List<AgainstFloor> floor) {
    }

    private HttpScenario() {
    }

    static Result run(Fixture fixture, Settings settings) throws Exception {
        List<AgainstFloor> floor = new ArrayList<>();
        HttpConfig config = HttpConfig.defaults().withHost("127.0.0.1").withPort(0);
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC)) {
            HttpApi jetty = HttpApi.start(service, config);
            try {
                Seeder.skus(fixture, service, "h", settings.skus(), null);
                List<Row> rows = metricsOffAndOn(fixture, settings, config, jetty.port());
                // the twin is closed: its relay handed its buckets over, and the service is the one instance on
                // its database, as the floor is the one client of its tables
                if (fixture.store() == Store.POSTGRESQL) {
                    FloorSession.create(fixture, "http-floor", settings.skus());
                    for (int clients : settings.httpClients()) {
                        Measured alone = new Measured(false, jetty.port());
                        List<LoadResult> results = LoadDriver.interleavedOnceCompiled(List.of(
                                alone.allocatesAlone(fixture, settings, clients),
                                AllocateScenarios.floor(fixture, "http-floor", settings.skus(), clients)), settings,
                                2 * settings.rounds(), fixture::settle);
                        floor.add(new AgainstFloor(clients, results.get(0), results.get(1)));
                    }
                }
                return new Result(rows, floor);
            } finally {
                jetty.stop(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * The first part: the API on {@code port}, metrics off, beside a metered twin that this opens, measures
     * at each client count, and closes again.
     */
    private static List<Row> metricsOffAndOn(Fixture fixture, Settings settings, HttpConfig config, int port)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AllocationMeters meters = new AllocationMeters(registry);
        try (AllocationService metered = fixture.service(Locking.OPTIMISTIC, builder ->
                builder.listener(meters).poolMetrics(meters.hikari()))) {
            meters.outbox(metered.outbox());
            HttpApi jettyMetered = HttpApi.start(metered, config, registry::scrape,
                    () -> Health.of(metered.isHealthy()));
            try {
                if (!fixture.store().isJdbc()) {   // the metered twin has a memory store of its own
                    Seeder.skus(fixture, metered, "h", settings.skus(), null);
                }
                for (int clients : settings.httpClients()) {
                    Measured off = new Measured(false, port);
                    Measured on = new Measured(true, jettyMetered.port());
                    List<LoadResult> results = LoadDriver.interleaved(List.of(off.variant(fixture, settings, clients),
                            on.variant(fixture, settings, clients)), settings, fixture::settle);
                    rows.add(off.row(fixture, clients, results.get(0), null));
                    rows.add(on.row(fixture, clients, results.get(1), results.get(1).ratioTo(results.get(0))));
                    registry.scrape();   // as Prometheus would, between slices; its cost is not in the ratio
                }
            } finally {
                jettyMetered.stop(Duration.ofSeconds(5));
            }
        }
        return rows;
    }

    /**
     * One API's latencies, per request kind, over every slice it ran; its clients each have a connection of
     * their own.
     */
    private record Measured(boolean metrics, int port, Histogram allocate, Histogram read) {

        Measured(boolean metrics, int port) {
            this(metrics, port, new ConcurrentHistogram(LoadResult.newHistogram()),
                    new ConcurrentHistogram(LoadResult.newHistogram()));
        }

        LoadDriver.Variant variant(Fixture fixture, Settings settings, int clients) {
            String prefix = "h-" + (metrics ? "on-" : "off-") + clients;
            return new LoadDriver.Variant(fixture + " HTTP " + prefix + " clients", clients,
                    round -> index -> client((http, sequence, measured, random) -> {
                        String orderId = prefix + "-" + round + "-" + index + "-" + sequence;
                        long began = System.nanoTime();
                        allocate(http, orderId, Seeder.sku("h", random.nextInt(settings.skus())));
                        long allocated = System.nanoTime();
                        StringBuilder answer = new StringBuilder();
                        expect(http.get("/allocations/" + orderId, answer), 200, "GET /allocations/" + orderId, answer);
                        if (measured) {
                            allocate.recordValue(allocated - began);
                            read.recordValue(System.nanoTime() - allocated);
                        }
                    }, index));
        }

        /** {@code POST /allocate} alone, each client sending the next once the last is answered. */
        LoadDriver.Variant allocatesAlone(Fixture fixture, Settings settings, int clients) {
            String prefix = "h-alone-" + clients;
            return new LoadDriver.Variant(fixture + " HTTP POST /allocate alone " + clients + " clients", clients,
                    round -> index -> client((http, sequence, measured, random) -> allocate(http,
                            prefix + "-" + round + "-" + index + "-" + sequence,
                            Seeder.sku("h", random.nextInt(settings.skus()))), index));
        }

        Row row(Fixture fixture, int clients, LoadResult pairs, double[] toMetricsOff) {
            return new Row(fixture.store(), metrics, clients, pairs, allocate.getValueAtPercentile(50) / 1e3,
                    allocate.getValueAtPercentile(99) / 1e3, read.getValueAtPercentile(50) / 1e3,
                    read.getValueAtPercentile(99) / 1e3, toMetricsOff);
        }

        /** One client thread's operations, on its own connection, closed with it. */
        private LoadDriver.Client client(Operation operation, int index) {
            KeepAliveClient http = new KeepAliveClient(port);
            SplittableRandom random = new SplittableRandom(index);
            return new LoadDriver.Client() {
                @Override
                public int run(long sequence, boolean measured) throws Exception {
                    operation.run(http, sequence, measured, random);
                    return 0;
                }

                @Override
                public void close() throws Exception {
                    http.close();
                }
            };
        }

        /** {@code POST /allocate} of one unit of {@code sku} to {@code orderId}, expecting 202. */
        private static void allocate(KeepAliveClient http, String orderId, String sku) throws Exception {
            StringBuilder answer = new StringBuilder();
            expect(http.post("/allocate", "{\"orderid\":\"" + orderId + "\",\"sku\":\"" + sku + "\",\"qty\":1}",
                    answer), 202, "POST /allocate " + orderId, answer);
        }

        private static void expect(int status, int expected, String request, CharSequence answer) {
            if (status != expected) {
                throw new IllegalStateException(request + ": " + status + " " + answer + " where " + expected
                        + " was expected");
            }
        }
    }

    /** What one client does once. */
    private interface Operation {
        void run(KeepAliveClient http, long sequence, boolean measured, SplittableRandom random) throws Exception;
    }
}
