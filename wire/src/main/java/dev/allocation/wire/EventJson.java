package dev.allocation.wire;

import dev.allocation.domain.events.Allocated;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An integration event as other systems receive it: {@link Allocated} is
 * {@code {"orderid":"...","sku":"...","qty":N,"batchref":"..."}}, the fields in that order, {@code qty} a
 * number, as the reference service publishes it on Redis and as Kafka's records carry it. Every publisher
 * writes it through here, so that both brokers receive the same JSON.
 */
public final class EventJson {

    private static final String ORDERID = "orderid";
    private static final String SKU = "sku";
    private static final String QTY = "qty";
    private static final String BATCHREF = "batchref";

    private EventJson() {
    }

    /** The event as JSON text, for a client that encodes text itself (Redis: UTF-8). */
    public static String text(Allocated allocated) {
        return StrictJson.WRITER.writeValueAsString(node(allocated));
    }

    /**
     * The event as UTF-8 JSON bytes, for a client that sends bytes (Kafka); a character outside the BMP
     * is written as its two {@code \}{@code uXXXX} escapes, as Jackson 2 wrote it.
     */
    public static byte[] utf8(Allocated allocated) {
        return StrictJson.WRITER.writeValueAsBytes(node(allocated));
    }

    static ObjectNode node(Allocated allocated) {
        return StrictJson.WRITER.createObjectNode().put(ORDERID, allocated.orderId()).put(SKU, allocated.sku())
                .put(QTY, allocated.qty()).put(BATCHREF, allocated.batchRef());
    }

    /** The event an object written by {@link #node} holds; strict, other fields ignored. */
    static Allocated allocated(JsonNode json) {
        return new Allocated(StrictJson.text(json, ORDERID), StrictJson.text(json, SKU), StrictJson.integer(json, QTY),
                StrictJson.text(json, BATCHREF));
    }
}
