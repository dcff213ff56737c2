package dev.allocation.adapters.kafka;

import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.wire.ChangeBatchQuantityMessage;

/**
 * What a record of {@value KafkaBroker#CHANGE_BATCH_QUANTITY} must be: a value, which is a message of the
 * published language ({@link ChangeBatchQuantityMessage#fromKeyedJson}, the strict rule the Redis channel
 * and stream use too: UTF-8, a field once, {@code batchref} a string, {@code qty} an integer, no coercion,
 * other fields ignored), and a key that is its batch reference, as UTF-8, for it is what keeps one batch's
 * records in one partition, in order. Each refusal is an {@link IllegalArgumentException} naming the field
 * and what was wrong.
 */
final class ChangeBatchQuantityJson {

    private ChangeBatchQuantityJson() {
    }

    /** A record's key and value as the command, or a refusal saying why not. */
    static ChangeBatchQuantity fromRecord(byte[] key, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("The record has no value (a tombstone)");
        }
        return ChangeBatchQuantityMessage.fromKeyedJson(key, value, "value");
    }
}
