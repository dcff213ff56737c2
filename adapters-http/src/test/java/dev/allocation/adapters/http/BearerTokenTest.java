package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.domain.commands.Allocate;
import dev.allocation.testing.ApiClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With a token configured, every route but the health checks wants {@code Authorization: Bearer <token>}. */
@Timeout(30)
class BearerTokenTest {

    private static final String TOKEN = "s3cret-token-of-the-operator";
    private static final String ALLOCATE = "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 3}";

    private final FakeUseCases useCases = new FakeUseCases();
    private HttpApi api;
    private ApiClient client;

    @AfterEach
    void stop() {
        if (api != null) {
            api.stop(Duration.ZERO);
        }
    }

    @Test
    void the_right_token_lets_a_command_through() throws Exception {
        start(TOKEN);

        HttpResponse<String> response = allocate("Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(useCases.handled).containsExactly(new Allocate("o1", "LAMP", 3));
    }

    @Test
    void a_missing_token_is_a_401_asking_for_one_and_changes_nothing() throws Exception {
        start(TOKEN);

        HttpResponse<String> response = allocate(null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.body()).contains("\"message\"").contains("bearer token");
        assertThat(useCases.handled).isEmpty();
    }

    @Test
    void a_wrong_token_is_a_401_and_changes_nothing() throws Exception {
        start(TOKEN);

        assertThat(allocate("Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(allocate("Bearer " + TOKEN.substring(1)).statusCode()).isEqualTo(401);
        assertThat(allocate("Basic " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(useCases.handled).isEmpty();
    }

    @Test
    void a_query_needs_the_token_too() throws Exception {
        start(TOKEN);

        HttpResponse<String> response = client.get("/allocations/o1");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void health_checks_need_no_token() throws Exception {
        start(TOKEN);

        HttpResponse<String> response = client.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void without_a_token_configured_no_header_is_needed() throws Exception {
        start(null);

        assertThat(allocate(null).statusCode()).isEqualTo(202);
    }

    @Test
    void a_token_no_request_could_send_is_refused_when_configured() {
        for (String token : new String[] {" ", " " + TOKEN, TOKEN + "\n"}) {
            assertThatThrownBy(() -> HttpConfig.defaults().withApiToken(token)).as("\"%s\"", token)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("apiToken must not");
        }
    }

    private void start(String token) throws IOException {
        api = HttpApi.start(useCases, HttpConfig.defaults().withHost("127.0.0.1").withPort(0).withApiToken(token));
        client = new ApiClient(api.port());
    }

    private HttpResponse<String> allocate(String authorization) {
        return authorization == null ? client.post("/allocate", ALLOCATE)
                : client.post("/allocate", ALLOCATE, "Authorization", authorization);
    }
}
