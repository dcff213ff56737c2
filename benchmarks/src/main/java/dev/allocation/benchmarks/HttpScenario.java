package dev.allocation.benchmarks;

import dev.allocation.adapters.http.HttpApi;
import dev.allocation.adapters.http.HttpConfig;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 5: the HTTP API (adapters-http, default configuration: 16 workers) on loopback under a
 * bounded load: a fixed number of clients, each sending {@code POST /allocate} (expecting 202) then
 * {@code GET /allocations/{orderid}} (expecting 200) and nothing more until both are answered. Client
 * and server share the machine's two cores.
 */
final class HttpScenario {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** One store: pairs of requests per second, and latency of each request kind (microseconds). */
    record Row(Store store, int clients, LoadResult pairs, double allocateP50, double allocateP99,
               double readP50, double readP99) {
        double requestsPerSecond() {
            return pairs.throughput() * 2;
        }
    }

    private HttpScenario() {
    }

    static Row run(Fixture fixture, Settings settings) throws Exception {
        try (AllocationService service = fixture.service(Locking.OPTIMISTIC)) {
            HttpApi api = HttpApi.start(service, HttpConfig.defaults().withHost("127.0.0.1").withPort(0));
            try {
                String prefix = "h" + RUNS.incrementAndGet();
                Seeder.skus(fixture, service, prefix, settings.skus());
                String base = "http://127.0.0.1:" + api.port();
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                Histogram allocate = new ConcurrentHistogram(Duration.ofSeconds(60).toNanos(), 3);
                Histogram read = new ConcurrentHistogram(Duration.ofSeconds(60).toNanos(), 3);
                LoadResult pairs = LoadDriver.run(fixture + " HTTP", settings.httpClients(), settings.httpWarmup(),
                        settings.httpMeasure(), index -> {
                            SplittableRandom random = new SplittableRandom(index);
                            return (sequence, measured) -> {
                                String orderId = prefix + "-" + index + "-" + sequence;
                                String sku = Seeder.sku(prefix, random.nextInt(settings.skus()));
                                HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/allocate"))
                                        .timeout(Duration.ofSeconds(30))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"orderid\":\"" + orderId + "\",\"sku\":\"" + sku + "\",\"qty\":1}"))
                                        .build();
                                long began = System.nanoTime();
                                HttpResponse<String> posted = http.send(post, HttpResponse.BodyHandlers.ofString());
                                long allocated = System.nanoTime();
                                expect(posted, 202);
                                HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/allocations/" + orderId))
                                        .timeout(Duration.ofSeconds(30))
                                        .GET()
                                        .build();
                                HttpResponse<String> got = http.send(get, HttpResponse.BodyHandlers.ofString());
                                long ended = System.nanoTime();
                                expect(got, 200);
                                if (measured) {
                                    allocate.recordValue(allocated - began);
                                    read.recordValue(ended - allocated);
                                }
                                return 0;
                            };
                        });
                org.slf4j.LoggerFactory.getLogger(HttpScenario.class).info("{}", pairs);
                return new Row(fixture.store(), settings.httpClients(), pairs,
                        allocate.getValueAtPercentile(50) / 1e3, allocate.getValueAtPercentile(99) / 1e3,
                        read.getValueAtPercentile(50) / 1e3, read.getValueAtPercentile(99) / 1e3);
            } finally {
                api.stop(Duration.ofSeconds(5));
            }
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": "
                    + response.statusCode() + " " + response.body());
        }
    }
}
