package dev.allocation.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The service's clients, as the book's {@code api_client.py}: real HTTP requests to a real server. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> addBatch(String ref, String sku, int qty, String eta) {
        return post("/add_batch", "{\"ref\": \"" + ref + "\", \"sku\": \"" + sku + "\", \"qty\": " + qty
                + ", \"eta\": " + (eta == null ? "null" : "\"" + eta + "\"") + "}");
    }

    HttpResponse<String> allocate(String orderId, String sku, int qty) {
        return post("/allocate", "{\"orderid\": \"" + orderId + "\", \"sku\": \"" + sku + "\", \"qty\": " + qty + "}");
    }

    HttpResponse<String> allocations(String orderId) {
        return send("GET", "/allocations/" + orderId, null);
    }

    HttpResponse<String> post(String path, String body) {
        return send("POST", path, body);
    }

    HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
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

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
