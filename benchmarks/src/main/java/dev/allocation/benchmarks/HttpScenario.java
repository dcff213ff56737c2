package dev.allocation.benchmarks;

import dev.allocation.adapters.http.HttpApi;
import dev.allocation.adapters.http.HttpConfig;
import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.bootstrap.AllocationService;
import java.net.URI;
import java.net.http.*;
import java.time.Duration;
import java.util.SplittableRandom;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 5: the HTTP API (adapters-http, default configuration) on loopback, a fixed number of
 * clients each sending {@code POST /allocate} (expecting 202) then {@code GET /allocations/{orderid}}
 * (expecting 200), and nothing more until both are answered. Client and server share the machine.
 */
final class HttpScenario {

    /** One store: pairs of requests, and each request kind's p50 and p99 (microseconds). */
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
                Seeder.skus(fixture, service, "h", settings.skus());
                String base = "http://127.0.0.1:" + api.port();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                Histogram allocate = new ConcurrentHistogram(LoadResult.newHistogram());
                Histogram read = new ConcurrentHistogram(LoadResult.newHistogram());
                LoadResult pairs = LoadDriver.run(fixture + " HTTP", settings.httpClients(), settings.httpWarmup(),
                        settings.httpMeasure(), index -> {
                            SplittableRandom random = new SplittableRandom(index);
                            return (sequence, measured) -> {
                                String orderId = "h-" + index + "-" + sequence;
                                String body = "{\"orderid\":\"" + orderId + "\",\"sku\":\""
                                        + Seeder.sku("h", random.nextInt(settings.skus())) + "\",\"qty\":1}";
                                long began = System.nanoTime();
                                send(http, HttpRequest.newBuilder(URI.create(base + "/allocate"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body)), 202);
                                long allocated = System.nanoTime();
                                send(http, HttpRequest.newBuilder(URI.create(base + "/allocations/" + orderId)), 200);
                                if (measured) {
                                    allocate.recordValue(allocated - began);
                                    read.recordValue(System.nanoTime() - allocated);
                                }
                                return 0;
                            };
                        });
                return new Row(fixture.store(), settings.httpClients(), pairs,
                        allocate.getValueAtPercentile(50) / 1e3, allocate.getValueAtPercentile(99) / 1e3,
                        read.getValueAtPercentile(50) / 1e3, read.getValueAtPercentile(99) / 1e3);
            } finally {
                api.stop(Duration.ofSeconds(5));
            }
        }
    }

    private static void send(HttpClient http, HttpRequest.Builder request, int status) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": "
                    + response.statusCode() + " " + response.body());
        }
    }
}
