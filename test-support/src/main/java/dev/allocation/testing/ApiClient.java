package dev.allocation.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A client of the allocation service's HTTP API on the loopback interface, as the book's
 * {@code api_client.py}: real HTTP requests to a real server, one client for every HTTP test. Headers
 * are given as names and values in turn ({@code "Authorization", "Bearer s3cret"}); a body is sent as
 * {@code application/json}. A request that cannot be sent or answered throws
 * {@link UncheckedIOException}, so that a call fits in a lambda.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** A client of the server listening on {@code port} of 127.0.0.1. */
    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** {@code POST /add_batch}; {@code eta} null for a batch in the warehouse. */
    public HttpResponse<String> addBatch(String ref, String sku, int qty, String eta) {
        return post("/add_batch", "{\"ref\": \"" + ref + "\", \"sku\": \"" + sku + "\", \"qty\": " + qty
                + ", \"eta\": " + (eta == null ? "null" : "\"" + eta + "\"") + "}");
    }

    /** {@code POST /allocate}. */
    public HttpResponse<String> allocate(String orderId, String sku, int qty) {
        return post("/allocate", "{\"orderid\": \"" + orderId + "\", \"sku\": \"" + sku + "\", \"qty\": " + qty + "}");
    }

    /** {@code GET /allocations/{orderId}}, the id as given (percent-encode it first if it needs it). */
    public HttpResponse<String> allocations(String orderId) {
        return get("/allocations/" + orderId);
    }

    /** A GET of {@code path}, with these headers. */
    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** A POST of {@code json} to {@code path}, with these headers. */
    public HttpResponse<String> post(String path, String json, String... headers) {
        return send("POST", path, json, headers);
    }

    /** A request of any method; {@code body} null for none. */
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The response's body as JSON (Jackson 3 must be on the test class path). */
    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
