package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients an attacker or an overloaded operator brings: hundreds of connections trickling their bytes,
 * and more requests at once than the workers and their queue hold. Legitimate requests are still served,
 * and overload is a 503 to retry, never a reset.
 */
@Timeout(60)
class SlowAndManyClientsTest {

    private final FakeUseCases useCases = new FakeUseCases();
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.stop(Duration.ZERO);
        }
    }

    @Test
    void three_hundred_connections_trickling_headers_and_thirty_trickling_a_body_leave_requests_answered_within_2s()
            throws Exception {
        api = HttpApi.start(useCases, config().withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(2)));
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean trickling = new AtomicBoolean(true);
        try {
            for (int i = 0; i < 300; i++) {
                slow.add(open("GET /health HTTP/1.1\r\nHost: t\r\nX-Slow: "));
            }
            for (int i = 0; i < 30; i++) {
                slow.add(open("POST /allocate HTTP/1.1\r\nHost: t\r\nContent-Length: 10000\r\n\r\n{\"orderid\": \""));
            }
            Thread trickler = new Thread(() -> RawHttp.trickle(slow, trickling, Duration.ofMillis(200)), "trickler");
            trickler.start();

            List<Duration> latencies = legitimateRequests(4, Duration.ofSeconds(3));

            long fast = latencies.stream().filter(took -> took.compareTo(Duration.ofSeconds(2)) < 0).count();
            assertThat(latencies).hasSizeGreaterThan(40);
            assertThat((double) fast / latencies.size()).as("answered within 2 s of %s", latencies.size())
                    .isGreaterThanOrEqualTo(0.95);
            trickling.set(false);
            trickler.join();
        } finally {
            trickling.set(false);
            closeAll(slow);
        }
        assertThat(useCases.handled).as("no trickled body reached the use cases").isEmpty();
    }

    @Test
    void requests_beyond_the_workers_and_their_queue_get_503s_to_retry_and_never_a_reset() throws Exception {
        api = HttpApi.start(useCases, config().withThreads(1).withQueueCapacity(2));
        useCases.delay = Duration.ofMillis(300);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(client.sendAsync(HttpRequest.newBuilder(uri("/allocations/o" + i)).timeout(Duration.ofSeconds(20))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }

        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> retryAfter = new CopyOnWriteArrayList<>();
        for (CompletableFuture<HttpResponse<String>> request : requests) {
            HttpResponse<String> response = request.get(20, TimeUnit.SECONDS);   // throws on a reset
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() == 503) {
                retryAfter.add(response.headers().firstValue("Retry-After").orElse("none"));
                assertThat(response.body()).isEqualTo("{\"message\":\"The service is busy, try again\"}");
            }
        }

        assertThat(statuses.keySet()).containsOnly(200, 503);
        assertThat(statuses.get(200)).isGreaterThanOrEqualTo(3);
        assertThat(statuses.get(503)).isGreaterThanOrEqualTo(10);
        assertThat(retryAfter).containsOnly("1");
    }

    @Test
    void a_burst_of_idle_connections_beyond_the_limit_moves_on_at_the_short_idle_timeout_not_the_usual_one()
            throws Exception {
        Duration idleTimeout = Duration.ofSeconds(20);
        api = HttpApi.start(useCases, config().withTimeouts(Duration.ofSeconds(10), idleTimeout).withMaxConnections(4));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {   // four rounds of the limit, all taken by the acceptor in one burst
                idle.add(new Socket("127.0.0.1", api.port()));
            }

            try (RawHttp probe = new RawHttp(api.port(), idleTimeout.plusSeconds(5))) {
                long began = System.nanoTime();
                RawHttp.Answer answer = probe.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n").answer();

                assertThat(answer.status()).isEqualTo(200);
                // each round waits for the short idle timeout at the limit; one round at the usual idle
                // timeout would alone take longer than this
                assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(idleTimeout);
            }
        } finally {
            closeAll(idle);
        }
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private HttpConfig config() {
        return HttpConfig.defaults().withHost("127.0.0.1").withPort(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    private Socket open(String start) throws IOException {
        Socket socket = new Socket("127.0.0.1", api.port());
        socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
        return socket;
    }


    /** {@code clients} threads sending an allocation then reading it back, for {@code during}: each latency. */
    private List<Duration> legitimateRequests(int clients, Duration during) throws Exception {
        List<Duration> latencies = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + during.toNanos();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(threads.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int i = 0; System.nanoTime() < end; i++) {
                    long began = System.nanoTime();
                    boolean answered;
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/allocations/c" + client + "-" + i))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        answered = response.statusCode() == 200;
                    } catch (IOException e) {
                        answered = false;
                    }
                    latencies.add(answered ? Duration.ofNanos(System.nanoTime() - began) : Duration.ofDays(1));
                    Thread.sleep(20);
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        threads.shutdown();
        return latencies;
    }
}
