package dev.allocation.wire;

import dev.allocation.domain.Eta;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;

/**
 * The bodies of the book's HTTP API turned into commands, strictly, for every edge that serves that API
 * (the service's Jetty, an application's Spring MVC controller): valid UTF-8 only, a key once, nothing
 * after the value, each field checked for presence and JSON type with no coercion ("10" is no number,
 * 10.0 no integer, null no string), fields the API does not know ignored, as the reference service
 * ignores them. Each refusal is an {@link IllegalArgumentException} whose message the API answers with
 * a 400, naming the field and what was wrong; a value the domain refuses is refused in the domain's words.
 */
public final class RequestBodies {

    private static final String AN_ETA = " must be an ISO date (yyyy-mm-dd) in the years " + Eta.FIRST_YEAR
            + " to " + Eta.LAST_YEAR + ", or null, was ";

    private RequestBodies() {
    }

    /**
     * {@code POST /add_batch}: {@code {"ref", "sku", "qty", "eta"}}; eta an ISO date, null or absent (in
     * the warehouse now).
     *
     * @throws IllegalArgumentException naming what was wrong (a 400)
     */
    public static CreateBatch createBatch(byte[] body) {
        JsonNode json = StrictJson.requestBody(body);
        String ref = StrictJson.text(json, "ref");
        String sku = StrictJson.text(json, "sku");
        int qty = StrictJson.integer(json, "qty");
        LocalDate eta = optionalDate(json, "eta");
        return new CreateBatch(ref, sku, qty, eta);
    }

    /**
     * {@code POST /allocate}: {@code {"orderid", "sku", "qty"}}.
     *
     * @throws IllegalArgumentException naming what was wrong (a 400)
     */
    public static Allocate allocate(byte[] body) {
        JsonNode json = StrictJson.requestBody(body);
        String orderId = StrictJson.text(json, "orderid");
        String sku = StrictJson.text(json, "sku");
        int qty = StrictJson.integer(json, "qty");
        return new Allocate(orderId, sku, qty);
    }

    /** A date outside the years every store keeps parses here, and the domain refuses it. */
    private static LocalDate optionalDate(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(field + AN_ETA + StrictJson.describe(value));
        }
        try {
            return LocalDate.parse(value.stringValue());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + AN_ETA + "\"" + StrictJson.abbreviate(value.stringValue()) + "\"");
        }
    }
}
