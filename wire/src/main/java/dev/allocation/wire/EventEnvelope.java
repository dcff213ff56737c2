package dev.allocation.wire;

import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Event;
import tools.jackson.databind.JsonNode;

/**
 * An event as the outbox keeps it until it is published: versioned JSON,
 * {@code {"version":1,"type":"Allocated","data":{"orderid":"...","sku":"...","qty":N,"batchref":"..."}}},
 * where {@code data} is the event as {@link EventJson} writes it for the brokers, the same JSON value, with
 * {@code &} and {@code =} written as {@code \}{@code u0026} and {@code \}{@code u003D}: a release that
 * reads only the outbox's form before versions ({@code name=value&...}) fails on such text, and can never
 * take an id's characters for fields (a rolling upgrade runs both releases on one outbox). The version
 * says how to read the rest: a reader ignores fields it does not know (an addition keeps the version),
 * and refuses a version it does not know, so that no event is ever published misread. Version 1 is the
 * only one; an event recorded by a later release that changed its meaning would carry version 2.
 */
public final class EventEnvelope {

    /** The version this release writes, and the only one it reads. */
    public static final int VERSION = 1;

    /** The type of an {@link Allocated}. */
    public static final String ALLOCATED = "Allocated";

    private static final String WHAT = "outbox event";

    private EventEnvelope() {
    }

    /**
     * The type of an event the outbox records, as the envelope names it.
     *
     * @throws IllegalArgumentException for an event that does not leave the service (only {@link Allocated} does)
     */
    public static String type(Event event) {
        if (event instanceof Allocated) {
            return ALLOCATED;
        }
        throw new IllegalArgumentException("The outbox does not record a " + event.getClass().getSimpleName());
    }

    /** The event in its envelope, as JSON text. */
    public static String write(Event event) {
        String type = type(event);
        return StrictJson.WITHOUT_FORM_SEPARATORS.writeValueAsString(StrictJson.WRITER.createObjectNode()
                .put("version", VERSION)
                .put("type", type).set("data", EventJson.node((Allocated) event)));
    }

    /**
     * The event an envelope holds.
     *
     * @throws IllegalArgumentException when {@code text} is not an envelope of a version and type this
     *     release knows, or its event is refused by the domain; the message says which
     */
    public static Event read(String text) {
        JsonNode envelope = StrictJson.object(text, WHAT);
        int version = StrictJson.integer(envelope, "version");
        if (version != VERSION) {
            throw new IllegalArgumentException("An outbox event of version " + version + ", which this release does "
                    + "not read (it reads version " + VERSION + ")");
        }
        String type = StrictJson.text(envelope, "type");
        if (!ALLOCATED.equals(type)) {
            throw new IllegalArgumentException("An outbox event of unknown type " + StrictJson.abbreviate(type));
        }
        JsonNode data = StrictJson.present(envelope, "data");
        if (!data.isObject()) {
            throw new IllegalArgumentException("data must be an object, was " + StrictJson.describe(data));
        }
        return EventJson.allocated(data);
    }

    /** Whether {@code text} is written as an envelope is (a JSON object), rather than in an older form. */
    public static boolean isEnvelope(String text) {
        return text.startsWith("{");
    }
}
