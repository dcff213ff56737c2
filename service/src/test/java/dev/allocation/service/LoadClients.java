package dev.allocation.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Client threads that allocate without pause against a service over HTTP, each on a keep-alive connection of
 * its own ({@link HttpClient}, HTTP/1.1), every order id new: they remember every line the service
 * acknowledged (202), count every status, and go on after a failed connection (a service that died or
 * stops), so that they are still sending when it is killed or stopped.
 */
final class LoadClients implements AutoCloseable {

    /** An order line sent in one {@code POST /allocate}. */
    record Line(String orderId, String sku, int qty) {
    }

    /** What the clients got: the lines acknowledged with 202, how often each status came, failed connections. */
    record Result(List<Line> acknowledged, Map<Integer, Integer> statuses, int connectionFailures,
                  List<String> serverErrors) {

        int count(int status) {
            return statuses.getOrDefault(status, 0);
        }

        @Override
        public String toString() {
            return acknowledged.size() + " acknowledged, statuses " + new TreeMap<>(statuses) + ", "
                    + connectionFailures + " failed connections";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final List<Thread> threads = new ArrayList<>();
    private final List<Line> acknowledged = new ArrayList<>();
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> serverErrors = new ArrayList<>();
    private final AtomicInteger connectionFailures = new AtomicInteger();
    private final AtomicInteger acknowledgedCount = new AtomicInteger();
    private volatile boolean stopping;

    private LoadClients() {
    }

    /**
     * Starts {@code clients} threads allocating on the service at {@code port}: client {@code c} sends order
     * {@code <prefix>-<c>-<i>} for sku {@code skus[(c + i) % skus.size()]}, quantity 1 to 3.
     */
    static LoadClients start(int port, int clients, List<String> skus, String orderPrefix) {
        LoadClients load = new LoadClients();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> load.allocate(port, client, skus, orderPrefix), orderPrefix + "-client-" + c);
            thread.setDaemon(true);
            load.threads.add(thread);
        }
        load.threads.forEach(Thread::start);
        return load;
    }

    private void allocate(int port, int client, List<String> skus, String orderPrefix) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        URI allocate = URI.create("http://127.0.0.1:" + port + "/allocate");
        for (int i = 0; !stopping; i++) {
            Line line = new Line(orderPrefix + "-" + client + "-" + i, skus.get((client + i) % skus.size()), 1 + i % 3);
            HttpRequest request = HttpRequest.newBuilder(allocate).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"orderid\": \"" + line.orderId() + "\", \"sku\": \""
                            + line.sku() + "\", \"qty\": " + line.qty() + "}"))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 202) {
                    synchronized (acknowledged) {
                        acknowledged.add(line);
                    }
                    acknowledgedCount.incrementAndGet();
                } else if (response.statusCode() >= 500 && response.statusCode() != 503) {
                    synchronized (serverErrors) {
                        if (serverErrors.size() < 20) {
                            serverErrors.add(response.statusCode() + " " + response.body());
                        }
                    }
                }
            } catch (IOException e) {
                // the service died, stops or refuses connections: the line's fate is unknown, it was not acknowledged
                connectionFailures.incrementAndGet();
                pause(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How many lines were acknowledged so far. */
    int acknowledgedSoFar() {
        return acknowledgedCount.get();
    }

    /** Waits until {@code count} lines were acknowledged; fails after {@code timeout}. */
    void awaitAcknowledged(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledgedCount.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + acknowledgedCount.get() + " of " + count
                        + " allocations were acknowledged within " + timeout + ": " + statuses + ", "
                        + connectionFailures + " failed connections");
            }
            pause(10);
        }
    }

    /** Stops every client after its request in flight, and says what they got. */
    Result stop() {
        stopping = true;
        for (Thread thread : threads) {
            try {
                thread.join(REQUEST_TIMEOUT.toMillis() + 5_000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (acknowledged) {
            synchronized (serverErrors) {
                return new Result(List.copyOf(acknowledged), Map.copyOf(statuses), connectionFailures.get(),
                        List.copyOf(serverErrors));
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * {@code GET /allocations/<order>} for every order, on 8 threads: for each order the batch holding each of
     * its skus, as the service answers; empty for a 404. Any other answer fails.
     */
    static Map<String, Map<String, String>> allocationsOf(int port, Collection<String> orderIds) throws Exception {
        List<String> orders = List.copyOf(orderIds);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<String, Map<String, String>>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(2)).build();
                    Map<String, Map<String, String>> answers = new HashMap<>();
                    for (int i = first; i < orders.size(); i += threads) {
                        answers.put(orders.get(i), allocationsOf(http, port, orders.get(i)));
                    }
                    return answers;
                }));
            }
            Map<String, Map<String, String>> answers = new HashMap<>();
            for (Future<Map<String, Map<String, String>>> part : parts) {
                answers.putAll(part.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, String> allocationsOf(HttpClient http, int port, String orderId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/allocations/" + orderId))
                .timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Map.of();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /allocations/" + orderId + " answered " + response.statusCode() + " "
                    + response.body());
        }
        Map<String, String> batchBySku = new HashMap<>();
        for (JsonNode allocation : JSON.readTree(response.body())) {
            String previous = batchBySku.put(allocation.get("sku").asString(), allocation.get("batchref").asString());
            if (previous != null) {
                batchBySku.put(allocation.get("sku").asString(), previous + " AND " + allocation.get("batchref").asString());
            }
        }
        return batchBySku;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
