package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar started with a token: its admin API asks for it as the API does. */
class AdminTokenIT {

    private static final String TOKEN = "s3cret-token-of-the-operator";

    @Test
    void with_a_token_the_admin_api_purges_nothing_without_it() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("admin-token", List.of("--in-memory"),
                Map.of("ALLOCATION_API_TOKEN", TOKEN))) {
            ApiClient admin = new ApiClient(service.adminPort());
            HttpResponse<String> purge = admin.send("DELETE", "/outbox/dead", null);
            HttpResponse<String> backlog = admin.send("GET", "/outbox", null);
            HttpResponse<String> withToken = admin.send("DELETE", "/outbox/dead", null, "Authorization", "Bearer " + TOKEN);

            assertThat(purge.statusCode()).isEqualTo(401);
            assertThat(purge.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(purge.headers().firstValue("X-Request-Id")).isPresent();
            assertThat(backlog.statusCode()).isEqualTo(401);
            assertThat(withToken.statusCode()).isEqualTo(200);
            assertThat(withToken.body()).isEqualTo("{\"purged\":0}");
        }
    }
}
