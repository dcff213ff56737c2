package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.testing.ApiClient;
import dev.allocation.bootstrap.Bootstrap;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shutdown hook does on SIGTERM ({@link RunningService#close()}): stop accepting, let the
 * request in flight finish on a still open database, then close it.
 */
@Timeout(60)
class GracefulShutdownTest {

    @Test
    void a_request_in_flight_at_shutdown_finishes_and_new_connections_are_refused(@TempDir Path dataDir)
            throws Exception {
        CountDownLatch notifying = new CountDownLatch(1);
        Bootstrap.Builder slowMail = Bootstrap.builder().notifications((to, message) -> {
            notifying.countDown();
            sleep(1_500);   // a slow mail server, while the out-of-stock order is in flight
        });
        RunningService service = RunningService.start(TestConfigs.h2Files(dataDir),
                slowMail);
        ApiClient api = new ApiClient(service.port());
        api.addBatch("batch-1", "LAMP", 1, null);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> api.allocate("o1", "LAMP", 5));
        assertThat(notifying.await(10, TimeUnit.SECONDS)).isTrue();

        service.close();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThatThrownBy(() -> api.allocations("o1")).isInstanceOf(UncheckedIOException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
