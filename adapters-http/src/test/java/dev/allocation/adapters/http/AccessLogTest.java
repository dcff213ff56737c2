package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** One bounded, escaped line per request, whatever path a client sends. */
@Timeout(30)
class AccessLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ApiHandler.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private HttpApi api;

    @BeforeEach
    void start() throws IOException {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.INFO);
        api = HttpApi.start(new FakeUseCases(), HttpConfig.defaults().withHost("127.0.0.1").withPort(0));
    }

    @AfterEach
    void stop() {
        api.stop(Duration.ZERO);
        logger.detachAppender(lines);
        logger.setLevel(null);
    }

    @Test
    void a_path_of_six_thousand_characters_is_logged_in_a_few_hundred_with_no_line_break() throws IOException {
        String path = "/allocations/" + "%E2%80%A8FORGED-INFO-line".repeat(240);   // 6,013 characters
        try (RawHttp raw = new RawHttp(api.port(), Duration.ofSeconds(5))) {
            assertThat(raw.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").answer()
                    .status()).isEqualTo(200);
        }
        api.stop(Duration.ofSeconds(1));   // the line is written once the response is

        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0)).hasSizeLessThan(400).doesNotContain("\r").doesNotContain("\n")
                .startsWith("GET /allocations/%E2%80%A8FORGED").contains(" 200 ");
    }
}
