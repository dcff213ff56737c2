package dev.allocation.adapters.jdbc;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An event as the outbox table keeps it: a type, and fields as {@code name=value&...}, each value
 * percent-encoded so that any text survives, and readable to an operator querying the table. Knows
 * the events that the outbox records ({@link dev.allocation.application.outbox.OutgoingEvents}).
 */
final class EventText {

    private EventText() {
    }

    static String type(Event event) {
        if (event instanceof Allocated) {
            return "Allocated";
        }
        throw new IllegalArgumentException("The outbox does not record a " + event.getClass().getSimpleName());
    }

    static String payload(Event event) {
        Allocated allocated = (Allocated) event;
        return "orderId=" + encode(allocated.orderId()) + "&sku=" + encode(allocated.sku())
                + "&qty=" + allocated.qty() + "&batchRef=" + encode(allocated.batchRef());
    }

    static Event event(String type, String payload) {
        if (!"Allocated".equals(type)) {
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

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
