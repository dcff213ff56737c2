package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGTERM (an orderly stop, as an orchestrator sends it) to the real service process while eight clients
 * allocate on keep-alive connections, on each durable store: no client is answered 500 (a refused or closed
 * connection, or a 503, is fine), every request that reached the handler got its response (each one the
 * service logged as answered was received by a client, none was cut), the process exits promptly once the
 * requests in flight are done (it does not keep serving keep-alive connections for its whole grace period),
 * and every acknowledged allocation is there after a restart.
 */
@Timeout(150)
class SigtermUnderLoadIT {

    private static final int CLIENTS = 8;
    private static final List<String> SKUS = List.of("LAMP", "TABLE", "CHAIR", "SOFA");
    /** Far below the service's grace period (10 s): requests take milliseconds. */
    private static final Duration PROMPT_EXIT = Duration.ofSeconds(5);

    @ParameterizedTest(name = "on {0}")
    @EnumSource(ServiceStorage.Kind.class)
    void sigterm_under_load_answers_no_500_and_keeps_every_acknowledged_allocation(ServiceStorage.Kind kind,
                                                                                @TempDir Path dataDir) throws Exception {
        try (ServiceStorage storage = kind.open(dataDir)) {
            LoadClients.Result load;
            Optional<Duration> exit;
            List<String> loggedErrors;
            List<String> answered;
            List<String> cut;
            try (ServiceProcess service = ServiceProcess.start("sigterm-under-load-on-" + kind, storage.options(),
                    storage.environment())) {
                CrashRecoveryIT.addBatchesOf(new ApiClient(service.port()), SKUS);
                LoadClients clients = LoadClients.start(service.port(), CLIENTS, SKUS, "order");
                clients.awaitAcknowledged(100, Duration.ofSeconds(30));
                LoadClients.pause(1_000);

                exit = service.terminate(Duration.ofSeconds(30));
                load = clients.stop();
                loggedErrors = service.logLines(line -> line.contains(" ERROR "));
                // the access log: "POST /allocate 202 3ms", or "aborted" when the response could not be written
                answered = service.logLines(line -> line.matches(".* - POST /allocate \\d{3} \\d+ms"));
                cut = service.logLines(line -> line.matches(".* - POST /allocate aborted .*")
                        || line.contains("still in flight"));
            }
            StoreAudit store = StoreAudit.afterRestart(storage, storage.options(), load.acknowledged());
            System.out.printf("[SIGTERM under load on %s] clients: %s; exited after %s; %d ERROR lines in the log;"
                    + " after restart: %s%n", kind, load, exit.map(Duration::toString).orElse("never (killed)"),
                    loggedErrors.size(), store);

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(load.count(500)).as("responses 500 (the first ones: %s; the service logged %d ERROR"
                    + " lines, the first: %s)", load.serverErrors().stream().limit(3).toList(), loggedErrors.size(),
                    loggedErrors.stream().limit(1).toList()).isZero();
            softly.assertThat(cut).as("requests that reached the handler and got no response").isEmpty();
            softly.assertThat(load.statuses().values().stream().mapToInt(Integer::intValue).sum())
                    .as("responses the clients received, against those the service logged as sent")
                    .isEqualTo(answered.size());
            softly.assertThat(exit).as("the service exited after SIGTERM").isPresent();
            exit.ifPresent(took -> softly.assertThat(took).as("time from SIGTERM to exit").isLessThan(PROMPT_EXIT));
            softly.assertThat(load.acknowledged()).as("allocations acknowledged").hasSizeGreaterThan(100);
            store.check(softly, load.acknowledged());
            softly.assertAll();
        }
    }
}
