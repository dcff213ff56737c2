package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.allocation.adapters.http.HttpApi;
import dev.allocation.adapters.jdbc.JdbiStorage;
import dev.allocation.bootstrap.Bootstrap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The operating options reach what they configure, in a running service on H2 files: the locking, the
 * pool's size (as HikariCP reports it on /metrics), the HTTP workers, the out-of-stock recipient and
 * the shutdown grace. The log options are checked on the jar itself (OperatingTheServiceIT).
 */
class OptionsHonouredTest {

    @Test
    void every_operating_option_reaches_what_it_configures(@TempDir Path data) {
        ServiceConfig.Operations operations = new ServiceConfig.Operations(JdbiStorage.Locking.PESSIMISTIC, 3, 4,
                Duration.ofSeconds(3), "ops@example.com", "INFO", "text");
        List<String> notified = new CopyOnWriteArrayList<>();
        Logger stopping = (Logger) LoggerFactory.getLogger(HttpApi.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        stopping.addAppender(lines);
        stopping.setLevel(Level.INFO);
        try {
            RunningService service = RunningService.start(TestConfigs.h2Files(data).with(operations),
                    Bootstrap.builder().notifications((to, message) -> notified.add(to)));
            try (service) {
                ApiClient api = new ApiClient(service.port());
                api.addBatch("b1", "LAMP", 1, null);
                api.allocate("o1", "LAMP", 1);
                api.allocate("o2", "LAMP", 1);   // out of stock

                assertThat(service.description()).contains("PESSIMISTIC");
                assertThat(notified).containsExactly("ops@example.com");
                assertThat(service.httpConfig().threads()).isEqualTo(4);
                assertThat(api.send("GET", "/metrics", null).body())
                        .contains("hikaricp_connections_max{pool=\"allocation\"} 3.0");
            }
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(line -> line.contains("waiting up to 3000 ms"));
        } finally {
            stopping.detachAppender(lines);
            stopping.setLevel(null);
        }
    }
}
