package dev.allocation.adapters.jdbc;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import dev.allocation.wire.EventEnvelope;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An event as the outbox table keeps it: a type, and the published language's versioned JSON
 * ({@link EventEnvelope}: {@code {"version":1,"type":"Allocated","data":{...}}}), readable to an operator
 * querying the table. Rows recorded before that format, as {@code orderId=...&sku=...&qty=...&batchRef=...}
 * with each value percent-encoded, are still read, so that the events an upgrade finds pending are
 * published. Knows the events that the outbox records ({@link dev.allocation.application.outbox.OutgoingEvents}).
 */
final class EventText {

    private EventText() {
    }

    static String type(Event event) {
        return EventEnvelope.type(event);
    }

    static String payload(Event event) {
        return EventEnvelope.write(event);
    }

    static Event event(String type, String payload) {
        if (!EventEnvelope.isEnvelope(payload)) {
            return beforeVersions(type, payload);
        }
        Event event;
        try {
            event = EventEnvelope.read(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("An outbox event that cannot be read: " + e.getMessage(), e);
        }
        if (!EventEnvelope.type(event).equals(type)) {
            throw new IllegalStateException("An outbox event of type " + type + " holds an " + EventEnvelope.type(event));
        }
        return event;
    }

    /** The form of the releases before the envelope: {@code orderId=...&sku=...&qty=...&batchRef=...}, percent-encoded. */
    private static Event beforeVersions(String type, String payload) {
        if (!EventEnvelope.ALLOCATED.equals(type)) {
            throw new IllegalStateException("An outbox event of unknown type " + type);
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : payload.split("&")) {
            String[] nameAndValue = field.split("=", 2);
            fields.put(nameAndValue[0], URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8));
        }
        return new Allocated(fields.get("orderId"), fields.get("sku"), Integer.parseInt(fields.get("qty")),
                fields.get("batchRef"));
    }
}
