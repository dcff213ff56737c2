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
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Scenario 5: the HTTP API (adapters-http, default configuration: Jetty) on loopback in front of a
 * service, beside the same API in front of a twin service with every meter on (allocation-micrometer:
 * the bus's listener, the pool's meters, the outbox's gauges, a Prometheus registry, {@code /metrics}),
 * at 1, 8 and 32 clients ({@link Settings#httpClients()}). Each client sends
 * {@code POST /allocate} (expecting 202) then {@code GET /allocations/{orderid}} (expecting 200), and
 * nothing more until both are answered. The two run in interleaved slices at each client count, so that
 * whatever else the machine does weighs on both alike. Client and server share the machine.
 *
 * <p>On PostgreSQL it then runs, interleaved at each client count, {@code POST /allocate} alone (metrics
 * off) beside PostgreSQL's own tight allocate at as many clients ({@link FloorSession}): the commit floor.
 * Both run in turn until the JIT compiler has settled before the slices are measured
 * ({@link LoadDriver#interleavedOnceCompiled}): the API's code path is long, and its compilation can go
 * on beside the load long after the warm-up, which the floor's short path does not pay.
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
        List<Row> rows = new ArrayList<>();
        List<AgainstFloor> floor = new ArrayList<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AllocationMeters meters = new AllocationMeters(registry);
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC);
             AllocationService metered = fixture.service(Locking.OPTIMISTIC, builder ->
                     builder.listener(meters).poolMetrics(meters.hikari()))) {
            meters.outbox(metered.outbox());
            HttpConfig config = HttpConfig.defaults().withHost("127.0.0.1").withPort(0);
            HttpApi jetty = HttpApi.start(service, config);
            HttpApi jettyMetered = HttpApi.start(metered, config, registry::scrape,
                    () -> Health.of(metered.isHealthy()));
            try {
                Seeder.skus(fixture, service, "h", settings.skus(), null);
                if (!fixture.store().isJdbc()) {   // the metered twin has a memory store of its own
                    Seeder.skus(fixture, metered, "h", settings.skus(), null);
                }
                for (int clients : settings.httpClients()) {
                    try (Measured off = new Measured(false, jetty.port(), clients);
                         Measured on = new Measured(true, jettyMetered.port(), clients)) {
                        List<LoadResult> results = LoadDriver.interleaved(List.of(off.variant(fixture, settings, clients),
                                on.variant(fixture, settings, clients)), settings, fixture::settle);
                        rows.add(off.row(fixture, clients, results.get(0), null));
                        rows.add(on.row(fixture, clients, results.get(1), results.get(1).ratioTo(results.get(0))));
                    }
                    registry.scrape();   // as Prometheus would, between slices; its cost is not in the ratio
                }
                if (fixture.store() == Store.POSTGRESQL) {
                    FloorSession.create(fixture, "http-floor", settings.skus());
                    for (int clients : settings.httpClients()) {
                        try (Measured alone = new Measured(false, jetty.port(), clients)) {
                            List<LoadResult> results = LoadDriver.interleavedOnceCompiled(List.of(
                                    alone.allocatesAlone(fixture, settings, clients),
                                    AllocateScenarios.floor(fixture, "http-floor", settings.skus(), clients)), settings,
                                    fixture::settle);
                            floor.add(new AgainstFloor(clients, results.get(0), results.get(1)));
                        }
                    }
                }
            } finally {
                jetty.stop(Duration.ofSeconds(5));
                jettyMetered.stop(Duration.ofSeconds(5));
            }
        }
        return new Result(rows, floor);
    }

    /**
     * One API's latencies, per request kind, over every slice it ran, and its clients: Apache HttpClient's
     * classic, blocking API, a pooled connection per client thread, each request sent and answered on the
     * client's own thread, as lean as the floor's client (benchmarks README).
     */
    private record Measured(boolean metrics, String base, Histogram allocate, Histogram read, CloseableHttpClient http)
            implements AutoCloseable {

        Measured(boolean metrics, int port, int clients) {
            this(metrics, "http://127.0.0.1:" + port, new ConcurrentHistogram(LoadResult.newHistogram()),
                    new ConcurrentHistogram(LoadResult.newHistogram()), HttpClients.custom()
                            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                                    .setMaxConnPerRoute(clients).setMaxConnTotal(clients)
                                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                                            .setConnectTimeout(Timeout.ofSeconds(5)).setSocketTimeout(Timeout.ofSeconds(30))
                                            .build())
                                    .build())
                            .disableAutomaticRetries().disableCookieManagement().disableRedirectHandling()
                            .build());
        }

        LoadDriver.Variant variant(Fixture fixture, Settings settings, int clients) {
            String prefix = "h-" + (metrics ? "on-" : "off-") + clients;
            return new LoadDriver.Variant(fixture + " HTTP " + prefix + " clients", clients,
                    round -> index -> {
                        SplittableRandom random = new SplittableRandom(index);
                        return (sequence, measured) -> {
                            String orderId = prefix + "-" + round + "-" + index + "-" + sequence;
                            long began = System.nanoTime();
                            allocate(orderId, Seeder.sku("h", random.nextInt(settings.skus())));
                            long allocated = System.nanoTime();
                            send(new HttpGet(base + "/allocations/" + orderId), 200);
                            if (measured) {
                                allocate.recordValue(allocated - began);
                                read.recordValue(System.nanoTime() - allocated);
                            }
                            return 0;
                        };
                    });
        }

        /** {@code POST /allocate} alone, each client sending the next once the last is answered. */
        LoadDriver.Variant allocatesAlone(Fixture fixture, Settings settings, int clients) {
            String prefix = "h-alone-" + clients;
            return new LoadDriver.Variant(fixture + " HTTP POST /allocate alone " + clients + " clients", clients,
                    round -> index -> {
                        SplittableRandom random = new SplittableRandom(index);
                        return (sequence, measured) -> {
                            allocate(prefix + "-" + round + "-" + index + "-" + sequence,
                                    Seeder.sku("h", random.nextInt(settings.skus())));
                            return 0;
                        };
                    });
        }

        Row row(Fixture fixture, int clients, LoadResult pairs, double[] toMetricsOff) {
            return new Row(fixture.store(), metrics, clients, pairs, allocate.getValueAtPercentile(50) / 1e3,
                    allocate.getValueAtPercentile(99) / 1e3, read.getValueAtPercentile(50) / 1e3,
                    read.getValueAtPercentile(99) / 1e3, toMetricsOff);
        }

        /** {@code POST /allocate} of one unit of {@code sku} to {@code orderId}, expecting 202. */
        private void allocate(String orderId, String sku) throws Exception {
            HttpPost post = new HttpPost(base + "/allocate");
            post.setEntity(new StringEntity("{\"orderid\":\"" + orderId + "\",\"sku\":\"" + sku + "\",\"qty\":1}",
                    ContentType.APPLICATION_JSON));
            send(post, 202);
        }

        private void send(HttpUriRequestBase request, int status) throws Exception {
            String failure = http.execute(request, response -> {
                String body = EntityUtils.toString(response.getEntity());
                return response.getCode() == status ? null : response.getCode() + " " + body;
            });
            if (failure != null) {
                throw new IllegalStateException(request.getMethod() + " " + request.getRequestUri() + ": " + failure);
            }
        }

        @Override
        public void close() throws Exception {
            http.close();
        }
    }
}
