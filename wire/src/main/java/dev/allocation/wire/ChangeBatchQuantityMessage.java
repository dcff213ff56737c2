package dev.allocation.wire;

import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What a message of {@code change_batch_quantity} must be, wherever it arrives (a Redis channel or
 * stream, a Kafka record), by the rules of the HTTP edge: the bytes must be UTF-8 (strictly: an invalid
 * or overlong sequence is refused, never replaced), a field appears once, {@code batchref} is text and
 * {@code qty} an integer within Java's {@code int}, with no coercion, and other fields are ignored; then
 * the domain's command checks the values. As JSON the message is {@code {"batchref": string, "qty":
 * integer}}; as fields of text (a Redis stream entry) {@code qty} must be written exactly as a JSON
 * integer is ({@code -?(0|[1-9][0-9]*)}): no sign but a minus, no leading zero, no space, no fraction or
 * exponent, ASCII digits only. Each refusal is an {@link IllegalArgumentException} naming the field and
 * what was wrong, in the words the consumers' dead letters have always carried.
 */
public final class ChangeBatchQuantityMessage {

    /** A JSON integer, as RFC 8259 writes one. */
    private static final Pattern JSON_INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    private static final String BATCHREF = "batchref";
    private static final String QTY = "qty";

    private ChangeBatchQuantityMessage() {
    }

    /**
     * A JSON message, {@code {"batchref": string, "qty": integer}}.
     *
     * @param json the message's bytes
     * @param what what they are, without article, for the refusals: {@code "message"} (a Redis channel's),
     *     {@code "value"} (a Kafka record's): "the value is not valid UTF-8 (...)", "The value must be a
     *     JSON object, was an array"
     * @throws IllegalArgumentException naming the field and what was wrong
     */
    public static ChangeBatchQuantity fromJson(byte[] json, String what) {
        JsonNode message = StrictJson.object(json, what);
        JsonNode ref = StrictJson.present(message, BATCHREF);
        if (!ref.isString()) {
            throw new IllegalArgumentException(BATCHREF + " must be a string, was " + StrictJson.describe(ref));
        }
        return command(ref.stringValue(), StrictJson.integer(message, QTY));
    }

    /**
     * A JSON message keyed by its batch reference, as a Kafka record of {@code change_batch_quantity} is: the
     * key keeps one batch's messages in one partition, in order, so it must be the {@code batchref}, as
     * UTF-8. The value is read as {@link #fromJson} reads it, before the key is looked at.
     *
     * @param key the key's bytes; null for none
     * @param json the message's bytes
     * @param what what {@code json} is, as for {@link #fromJson}
     * @throws IllegalArgumentException naming the field and what was wrong, or the key and what it was
     */
    public static ChangeBatchQuantity fromKeyedJson(byte[] key, byte[] json, String what) {
        ChangeBatchQuantity command = fromJson(json, what);
        String keyText = key == null ? null : StrictJson.utf8(key, "the key");
        if (!command.ref().equals(keyText)) {
            throw new IllegalArgumentException("The key must be the batchref (\"" + StrictJson.abbreviate(command.ref())
                    + "\"), was " + (keyText == null ? "none" : "\"" + StrictJson.abbreviate(keyText) + "\""));
        }
        return command;
    }

    /**
     * A message as fields of text, in their order, such as a Redis stream entry's (where a field may
     * appear twice: refused): {@code batchref} and {@code qty}, both UTF-8 text, {@code qty} a JSON
     * integer; other fields are ignored, but must be UTF-8 too, as every byte of a message over HTTP must.
     *
     * @throws IllegalArgumentException naming the field and what was wrong
     */
    public static ChangeBatchQuantity fromFields(List<Map.Entry<byte[], byte[]>> fields) {
        Set<String> names = new HashSet<>();
        String ref = null;
        String qty = null;
        int position = 0;
        for (Map.Entry<byte[], byte[]> field : fields) {
            position++;
            String name = StrictJson.utf8(field.getKey(), "field " + position + "'s name");
            if (!names.add(name)) {
                throw new IllegalArgumentException("Duplicate field '" + StrictJson.abbreviate(name) + "'");
            }
            String value = StrictJson.utf8(field.getValue(), BATCHREF.equals(name) || QTY.equals(name) ? name
                    : "field " + position + " (" + StrictJson.abbreviate(name) + ")");
            if (BATCHREF.equals(name)) {
                ref = value;
            } else if (QTY.equals(name)) {
                qty = value;
            }
        }
        if (ref == null) {
            throw new IllegalArgumentException("Missing field " + BATCHREF);
        }
        if (qty == null) {
            throw new IllegalArgumentException("Missing field " + QTY);
        }
        return command(ref, integer(qty));
    }

    private static int integer(String qty) {
        if (!JSON_INTEGER.matcher(qty).matches()) {
            throw new IllegalArgumentException(QTY + " must be an integer, written as in JSON (digits and an optional"
                    + " leading minus: no plus, leading zero, space, fraction or exponent), was \""
                    + StrictJson.abbreviate(qty) + "\"");
        }
        try {
            return Integer.parseInt(qty);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(QTY + " is out of range, was " + StrictJson.abbreviate(qty));
        }
    }

    /** The command, its refusals naming the wire's field ({@code batchref}) rather than the record's ({@code ref}). */
    private static ChangeBatchQuantity command(String ref, int qty) {
        try {
            return new ChangeBatchQuantity(ref, qty);
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(message.startsWith("ref ") ? BATCHREF + message.substring(3) : message);
        }
    }
}
