package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar started with a token: its admin API asks for it as the API does. */
class AdminTokenIT {

    private static final String TOKEN = "s3cret-token-of-the-operator";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void with_a_token_the_admin_api_purges_nothing_without_it() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("admin-token", List.of("--in-memory"),
                Map.of("ALLOCATION_API_TOKEN", TOKEN))) {
            HttpResponse<String> purge = send(service.adminPort(), "DELETE", "/outbox/dead", null);
            HttpResponse<String> backlog = send(service.adminPort(), "GET", "/outbox", null);
            HttpResponse<String> withToken = send(service.adminPort(), "DELETE", "/outbox/dead", TOKEN);

            assertThat(purge.statusCode()).isEqualTo(401);
            assertThat(purge.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(purge.headers().firstValue("X-Request-Id")).isPresent();
            assertThat(backlog.statusCode()).isEqualTo(401);
            assertThat(withToken.statusCode()).isEqualTo(200);
            assertThat(withToken.body()).isEqualTo("{\"purged\":0}");
        }
    }

    private HttpResponse<String> send(int port, String method, String path, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
