package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi31;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.testing.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document against the running service: every answer of every route, on both listeners, in
 * success and in refusal, has a status the document lists for that operation, and a body its schema
 * accepts (a JSON Schema validator in OpenAPI 3.1's dialect). The document cannot drift from the code.
 */
class OpenApiConformanceTest {

    private static final String DOCUMENT = "dev/allocation/adapters/http/openapi.json";

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(OpenApi31.getInstance());
    private final List<String> checked = new ArrayList<>();
    private JsonNode openApi;
    private RunningService service;

    @BeforeEach
    void start() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DOCUMENT)) {
            openApi = mapper.readTree(in);
        }
        service = RunningService.start(TestConfigs.inMemory(), Bootstrap.builder().notifications((to, message) -> { }));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void every_answer_of_the_api_has_a_documented_status_and_a_body_its_schema_accepts() throws Exception {
        int api = service.port();
        conforms(api, "POST", "/add_batch", "/add_batch", "{\"ref\": \"b1\", \"sku\": \"LAMP\", \"qty\": 10, \"eta\": null}", 201);
        conforms(api, "POST", "/add_batch", "/add_batch", "{\"ref\": \"b1\", \"sku\": \"LAMP\", \"qty\": 10}", 400);
        conforms(api, "POST", "/add_batch", "/add_batch", "{\"ref\": \"b2\"", 400);
        conforms(api, "POST", "/allocate", "/allocate", "{\"orderid\": \"o1\", \"sku\": \"LAMP\", \"qty\": 2}", 202);
        conforms(api, "POST", "/allocate", "/allocate", "{\"orderid\": \"o2\", \"sku\": \"NOPE\", \"qty\": 2}", 400);
        conforms(api, "POST", "/allocate", "/allocate", "{\"orderid\": \"o3\", \"sku\": \"LAMP\", \"qty\": \"2\"}", 400);
        conforms(api, "GET", "/allocations/{orderid}", "/allocations/o1", null, 200);
        conforms(api, "GET", "/allocations/{orderid}", "/allocations/o2", null, 404);
        conforms(api, "GET", "/health", "/health", null, 200);
        conforms(api, "GET", "/health/ready", "/health/ready", null, 200);
        conforms(api, "GET", "/health/live", "/health/live", null, 200);
        conforms(api, "GET", "/metrics", "/metrics", null, 200);
        conforms(api, "GET", "/openapi.json", "/openapi.json", null, 200);

        assertThat(checked).hasSize(13);
    }

    @Test
    void every_answer_of_the_admin_api_has_a_documented_status_and_a_body_its_schema_accepts() throws Exception {
        int admin = service.adminPort();
        conforms(admin, "GET", "/outbox", "/outbox", null, 200);
        conforms(admin, "GET", "/outbox/dead", "/outbox/dead?limit=5", null, 200);
        conforms(admin, "POST", "/outbox/dead/{event_id}/republish", "/outbox/dead/no-such-event/republish", null, 404);
        conforms(admin, "DELETE", "/outbox/dead/{event_id}", "/outbox/dead/no-such-event", null, 404);
        conforms(admin, "DELETE", "/outbox/dead", "/outbox/dead", null, 200);

        assertThat(checked).hasSize(5);
    }

    @Test
    void the_documents_schemas_refuse_what_the_api_never_answers_so_the_checks_above_cannot_pass_vacuously() {
        assertThat(validate("/components/responses/Refused/content/application~1json/schema", "{\"message\": 5}"))
                .isNotEmpty();
        assertThat(validate("/components/responses/Ok/content/application~1json/schema", "{\"message\": \"KO\"}"))
                .isNotEmpty();
        assertThat(validate("/paths/~1allocations~1{orderid}/get/responses/200/content/application~1json/schema",
                "[{\"sku\": \"LAMP\"}]")).isNotEmpty();
        assertThat(validate("/components/responses/Up/content/application~1json/schema", "{\"status\": \"ok\"}"))
                .isEmpty();
    }

    @Test
    void the_health_checks_answers_when_ready_or_not_are_the_documents() {
        for (String path : List.of("/health", "/health/ready")) {
            String operation = "/paths/" + escape(path) + "/get/responses/";
            String up = pointerOf(operation + "200") + "/content/application~1json/schema";
            String down = pointerOf(operation + "503") + "/content/application~1json/schema";
            assertThat(validate(up, "{\"status\": \"ok\", \"checks\": {\"storage\": \"up\", \"redis\": \"down\"}}"))
                    .as("%s: ready while the broker is down", path).isEmpty();
            assertThat(validate(down, "{\"status\": \"unavailable\"}")).as("%s: not ready", path).isEmpty();
            assertThat(validate(down, "{\"status\": \"unavailable\", \"checks\": {\"storage\": \"down\"}}"))
                    .as("%s: not ready, storage down", path).isEmpty();
            assertThat(validate(down, "{\"message\": \"The service is stopping, try again\"}"))
                    .as("%s: stopping", path).isEmpty();
            assertThat(validate(up, "{\"status\": \"ok\", \"checks\": {\"storage\": \"maybe\"}}"))
                    .as("%s: a check is up or down", path).isNotEmpty();
        }
    }

    private List<Error> validate(String pointer, String json) {
        return schemas.getSchema(SchemaLocation.of("classpath:" + DOCUMENT + "#" + pointer)).validate(json, InputFormat.JSON);
    }

    /** Sends the request, expects {@code status}, and checks the answer against the operation's document. */
    private void conforms(int port, String method, String template, String path, String body, int status)
            throws Exception {
        HttpResponse<String> answer = new ApiClient(port).send(method, path, body);
        String call = method + " " + path;
        assertThat(answer.statusCode()).as(call).isEqualTo(status);

        String operation = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        assertThat(openApi.at(operation).isMissingNode()).as("%s is documented", call).isFalse();
        String responsePointer = operation + "/responses/" + status;
        JsonNode response = resolve(openApi.at(responsePointer));
        assertThat(response.isMissingNode()).as("%s: status %d is documented", call, status).isFalse();

        String contentType = answer.headers().firstValue("Content-Type").orElse("");
        JsonNode content = response.path("content");
        if (content.isEmpty()) {
            assertThat(answer.body()).as("%s: no body documented", call).isEmpty();
        } else if (contentType.startsWith("application/json")) {
            assertThat(content.has("application/json")).as("%s: JSON documented", call).isTrue();
            String schemaPointer = pointerOf(responsePointer) + "/content/application~1json/schema";
            List<Error> errors = validate(schemaPointer, answer.body());
            assertThat(errors).as("%s answered %s", call, answer.body()).isEmpty();
        } else {
            assertThat(content.has(contentType.split(";")[0])).as("%s: %s documented", call, contentType).isTrue();
        }
        if (port == service.port()) {
            JsonNode requestId = openApi.at("/components/headers/RequestId/schema/pattern");
            assertThat(answer.headers().firstValue("X-Request-Id").orElseThrow())
                    .matches(Pattern.compile(requestId.asString()));
        }
        checked.add(call);
    }

    /** The response object, following one {@code $ref} to the components. */
    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? openApi.at(node.get("$ref").asString().substring(1)) : node;
    }

    /** Where the response object really is: its {@code $ref}'s target, or itself. */
    private String pointerOf(String responsePointer) {
        JsonNode node = openApi.at(responsePointer);
        return node.has("$ref") ? node.get("$ref").asString().substring(1) : responsePointer;
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }
}
