package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import dev.allocation.testing.TestDatabase;
import dev.allocation.testing.TestDatabases;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.service.LoadClients.Line;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL outages seen through the HTTP API, with a {@link TcpProxy} between the service and the database
 * and client threads sending {@code POST /allocate}, {@code GET /allocations/<order>} and {@code GET /health}
 * all along: while the database is away every answer is a 503 with {@code Retry-After} (or a success, for a
 * request that made it), never a 500 and never a hang; {@code /health} says 503 within about a second; the
 * service recovers by itself once the database is back; and every allocation acknowledged with a 202 is
 * stored. Skipped without a local PostgreSQL, unless {@code CI=true}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DatabaseOutagesTest {

    /** The longest a health check may take: the storage's one second, and some slack. */
    private static final Duration HEALTH_BOUND = Duration.ofMillis(1_500);
    /** How soon after the database is back the service must allocate again and say it is healthy. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(5);
    private static final List<String> SKUS = List.of("OUTAGE-LAMP", "OUTAGE-DESK");

    private TestDatabase database;
    private TcpProxy proxy;
    private RunningService service;

    @BeforeEach
    void startTheServiceBehindAProxy() {
        database = TestDatabases.postgres();
        URI target = URI.create(database.url().substring("jdbc:".length()));
        proxy = TcpProxy.to(target.getHost(), target.getPort());
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getPath();
        service = RunningService.start(TestConfigs.database(proxied, database.user(), database.password(), null),
                Bootstrap.builder());
        ApiClient api = new ApiClient(service.port());
        for (String sku : SKUS) {
            assertThat(api.addBatch(sku + "-stock", sku, 1_000_000, null).statusCode()).isEqualTo(201);
        }
    }

    @AfterEach
    void stop() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            try {
                if (proxy != null) {
                    proxy.close();
                }
            } finally {
                if (database != null) {
                    database.close();
                }
            }
        }
    }

    @Test
    void while_the_database_restarts_clients_get_503s_at_once_and_then_the_service_recovers_by_itself() throws Exception {
        // the bound of a request: the pool's 2 s wait for a connection, with slack for a loaded machine
        Outage outage = underLoad(proxy::restart, Duration.ofSeconds(3));

        outage.assertHonest(Duration.ofSeconds(7));
        outage.assertEveryAcknowledgedAllocationIsStored();
    }

    @Test
    void a_database_that_stops_answering_holds_no_request_beyond_the_timeouts_and_the_service_recovers_by_itself()
            throws Exception {
        // longer than the bound of a request, so that a request held for the whole outage shows
        Outage outage = underLoad(proxy::blackHole, Duration.ofSeconds(10));

        // the bound: the pool's 2 s wait for a connection, or the socket's 5 s read timeout, and slack
        outage.assertHonest(Duration.ofSeconds(8));
        outage.assertEveryAcknowledgedAllocationIsStored();
    }

    /**
     * Starts the clients, lets them work for a moment, begins the outage, ends it ({@link TcpProxy#accept()})
     * after {@code length}, and stops the clients once the service allocated again and said it is healthy
     * (or {@code RECOVERY_BOUND} and more passed).
     */
    private Outage underLoad(Runnable beginOutage, Duration length) throws InterruptedException {
        Traffic traffic = Traffic.start(service.port(), SKUS);
        try {
            traffic.await(e -> e.path().equals("/allocate") && e.status() == 202, 30, Duration.ofSeconds(10));
            long start = System.nanoTime();
            beginOutage.run();
            Thread.sleep(length.toMillis());
            proxy.accept();
            long end = System.nanoTime();
            traffic.awaitQuietly(e -> e.sent() > end && e.path().equals("/allocate") && e.status() == 202,
                    RECOVERY_BOUND.plusSeconds(5));
            traffic.awaitQuietly(e -> e.sent() > end && e.path().equals("/health") && e.status() == 200,
                    RECOVERY_BOUND.plusSeconds(5));
            return new Outage(start, end, traffic.stop());
        } finally {
            traffic.stop();
        }
    }

    /** What the clients went through, and when the outage began and ended ({@link System#nanoTime()}). */
    private final class Outage {

        private final long start;
        private final long end;
        private final List<Exchange> exchanges;

        Outage(long start, long end, List<Exchange> exchanges) {
            this.start = start;
            this.end = end;
            this.exchanges = exchanges;
        }

        /**
         * No 500 and no failed connection; a 503 with {@code Retry-After}; no request answered later than
         * {@code bound}, no health check later than {@code HEALTH_BOUND}; health 503 and refused allocations
         * during the outage; allocations and health again within {@code RECOVERY_BOUND} after it.
         */
        void assertHonest(Duration bound) {
            System.out.println(this);
            SoftAssertions softly = new SoftAssertions();
            List<Exchange> allocations = only("/allocate");
            List<Exchange> reads = only("/allocations");
            List<Exchange> health = only("/health");
            softly.assertThat(allocations).as("POST /allocate answers").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.status()).as(e.toString()).isIn(202, 503));
            softly.assertThat(reads).as("GET /allocations answers, for acknowledged orders").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.status()).as(e.toString()).isIn(200, 503));
            softly.assertThat(health).as("GET /health answers").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.status()).as(e.toString()).isIn(200, 503));
            softly.assertThat(exchanges).as("503s to commands and queries say when to try again")
                    .filteredOn(e -> e.status() == 503 && !e.path().equals("/health"))
                    .allSatisfy(e -> assertThat(e.retryAfter()).as(e.toString()).isEqualTo("1"));

            // a machine busy with other work slows every answer: the failure says how busy it was
            String load = String.format("system load average %.1f on %d cores",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            softly.assertThat(slowest(allocations, reads)).as("the slowest request, %s at most (%s)", bound, load)
                    .satisfies(e -> assertThat(e.millis()).as(e.toString()).isLessThanOrEqualTo(bound.toMillis()));
            softly.assertThat(slowest(health)).as("the slowest health check, %s at most (%s)", HEALTH_BOUND, load)
                    .satisfies(e -> assertThat(e.millis()).as(e.toString()).isLessThanOrEqualTo(HEALTH_BOUND.toMillis()));

            List<Exchange> healthDuring = health.stream()
                    .filter(e -> e.sent() > start + TimeUnit.MILLISECONDS.toNanos(100) && e.answered() < end).toList();
            softly.assertThat(healthDuring).as("health checks made during the outage").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.status()).as(e.toString()).isEqualTo(503));
            softly.assertThat(allocations).as("allocations refused during the outage")
                    .filteredOn(e -> e.sent() > start && e.sent() < end && e.status() == 503).isNotEmpty();

            long recoveryBound = end + RECOVERY_BOUND.toNanos();
            softly.assertThat(allocations).as("allocations acknowledged within %s after the outage", RECOVERY_BOUND)
                    .filteredOn(e -> e.sent() > end && e.answered() <= recoveryBound && e.status() == 202).isNotEmpty();
            softly.assertThat(health).as("health checks saying 200 within %s after the outage", RECOVERY_BOUND)
                    .filteredOn(e -> e.sent() > end && e.answered() <= recoveryBound && e.status() == 200).isNotEmpty();
            softly.assertAll();
        }

        /** Reads the store directly and checks it holds every acknowledged line (and its other promises). */
        void assertEveryAcknowledgedAllocationIsStored() throws Exception {
            List<Line> acknowledged = only("/allocate").stream().filter(e -> e.status() == 202).map(Exchange::line).toList();
            Map<String, Map<String, String>> answers = LoadClients.allocationsOf(service.port(),
                    acknowledged.stream().map(Line::orderId).collect(Collectors.toSet()));
            StoreAudit audit = StoreAudit.read(database.dataSource(), answers);
            System.out.println("After the outage: " + audit);
            audit.assertKeeps(acknowledged);
        }

        private List<Exchange> only(String path) {
            return exchanges.stream().filter(e -> e.path().equals(path)).toList();
        }

        @SafeVarargs
        private Exchange slowest(List<Exchange>... lists) {
            Exchange slowest = null;
            for (List<Exchange> list : lists) {
                for (Exchange e : list) {
                    if (slowest == null || e.millis() > slowest.millis()) {
                        slowest = e;
                    }
                }
            }
            return slowest;
        }

        @Override
        public String toString() {
            StringBuilder summary = new StringBuilder("Outage of " + TimeUnit.NANOSECONDS.toMillis(end - start) + " ms:");
            for (String path : List.of("/allocate", "/allocations", "/health")) {
                List<Exchange> of = only(path);
                Map<Integer, Long> during = new TreeMap<>(of.stream().filter(e -> e.sent() >= start && e.sent() < end)
                        .collect(Collectors.groupingBy(Exchange::status, Collectors.counting())));
                Map<Integer, Long> all = new TreeMap<>(of.stream().collect(Collectors.groupingBy(Exchange::status,
                        Collectors.counting())));
                long[] millis = of.stream().mapToLong(Exchange::millis).sorted().toArray();
                summary.append(String.format("%n  %-12s statuses %s (sent during the outage %s), median %d ms, slowest %d ms",
                        path, all, during, millis.length == 0 ? 0 : millis[millis.length / 2],
                        millis.length == 0 ? 0 : millis[millis.length - 1]));
            }
            List<Exchange> after = exchanges.stream().filter(e -> e.sent() > end).toList();
            after.stream().filter(e -> e.path().equals("/allocate") && e.status() == 202).findFirst().ifPresent(e ->
                    summary.append(String.format("%n  first 202 answered %d ms after the outage",
                            TimeUnit.NANOSECONDS.toMillis(e.answered() - end))));
            after.stream().filter(e -> e.path().equals("/health") && e.status() == 200).findFirst().ifPresent(e ->
                    summary.append(String.format("%n  first healthy answer %d ms after the outage",
                            TimeUnit.NANOSECONDS.toMillis(e.answered() - end))));
            return summary.toString();
        }
    }

    /**
     * One request and its answer: when it was sent and answered ({@link System#nanoTime()}), its status
     * ({@code -1}: no answer, {@code failure} says why), its {@code Retry-After}; {@code line} for an allocation.
     */
    private record Exchange(String path, long sent, long answered, int status, String retryAfter, String failure,
                            Line line) {

        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(answered - sent);
        }

        @Override
        public String toString() {
            return path + (line == null ? "" : " " + line.orderId()) + " -> "
                    + (status < 0 ? "no answer (" + failure + ")" : status) + " in " + millis() + " ms";
        }
    }

    /**
     * Client threads, each on a connection of its own: three allocating new orders without pause, one asking
     * for the order acknowledged last every 20 ms, one checking health every 100 ms. After a 503 to a command or a
     * query a client waits 100 ms.
     */
    private static final class Traffic {

        private static final Duration TIMEOUT = Duration.ofSeconds(30);

        private final int port;
        private final List<Exchange> exchanges = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopping;
        private volatile Line lastAcknowledged;

        private Traffic(int port) {
            this.port = port;
        }

        static Traffic start(int port, List<String> skus) {
            Traffic traffic = new Traffic(port);
            for (int c = 0; c < 3; c++) {
                int client = c;
                traffic.thread("allocate-" + c, http -> {
                    for (int i = 0; !traffic.stopping; i++) {
                        Line line = new Line("outage-" + client + "-" + i, skus.get((client + i) % skus.size()), 1 + i % 3);
                        Exchange e = traffic.send(http, "/allocate", "/allocate", "{\"orderid\": \"" + line.orderId()
                                + "\", \"sku\": \"" + line.sku() + "\", \"qty\": " + line.qty() + "}", line);
                        if (e.status() == 202) {
                            traffic.lastAcknowledged = line;
                        }
                    }
                });
            }
            traffic.thread("read", http -> {
                while (!traffic.stopping) {
                    Line line = traffic.lastAcknowledged;
                    if (line == null) {
                        LoadClients.pause(10);
                    } else {
                        traffic.send(http, "/allocations", "/allocations/" + line.orderId(), null, line);
                        LoadClients.pause(20);
                    }
                }
            });
            traffic.thread("health", http -> {
                while (!traffic.stopping) {
                    traffic.send(http, "/health", "/health", null, null);
                    LoadClients.pause(100);
                }
            });
            return traffic;
        }

        private void thread(String name, java.util.function.Consumer<HttpClient> body) {
            Thread thread = new Thread(() -> body.accept(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build()), "outage-client-" + name);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }

        private Exchange send(HttpClient http, String path, String uri, String body, Line line) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
                    .timeout(TIMEOUT);
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            }
            long sent = System.nanoTime();
            Exchange exchange;
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                exchange = new Exchange(path, sent, System.nanoTime(), response.statusCode(),
                        response.headers().firstValue("Retry-After").orElse(null),
                        response.statusCode() >= 500 ? response.body() : null, line);
            } catch (IOException e) {
                exchange = new Exchange(path, sent, System.nanoTime(), -1, null, e.toString(), line);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange = new Exchange(path, sent, System.nanoTime(), -1, null, e.toString(), line);
            }
            synchronized (exchanges) {
                exchanges.add(exchange);
            }
            if ((exchange.status() == 503 && !path.equals("/health")) || exchange.status() < 0) {
                LoadClients.pause(100);
            }
            return exchange;
        }

        /** Waits until {@code count} exchanges match; fails after {@code timeout}. */
        void await(Predicate<Exchange> condition, int count, Duration timeout) {
            if (!awaitQuietly(condition, count, timeout)) {
                throw new IllegalStateException("Only " + matching(condition) + " of " + count
                        + " expected answers came within " + timeout);
            }
        }

        /** Waits until an exchange matches, for up to {@code timeout}; the checks say what was missing. */
        void awaitQuietly(Predicate<Exchange> condition, Duration timeout) {
            awaitQuietly(condition, 1, timeout);
        }

        private boolean awaitQuietly(Predicate<Exchange> condition, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (matching(condition) < count) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                LoadClients.pause(20);
            }
            return true;
        }

        private long matching(Predicate<Exchange> condition) {
            synchronized (exchanges) {
                return exchanges.stream().filter(condition).count();
            }
        }

        /** Stops every client after its request in flight; every exchange so far. */
        List<Exchange> stop() throws InterruptedException {
            stopping = true;
            for (Thread thread : threads) {
                thread.join(TIMEOUT.toMillis() + 5_000);
            }
            synchronized (exchanges) {
                return List.copyOf(exchanges);
            }
        }
    }
}
