package dev.allocation.adapters.kafka;

import java.util.Objects;

/**
 * The names this adapter uses on a cluster: the contract's ({@link #CONTRACT}) in every use but the
 * module's own tests, which share one broker and take names of their own per test.
 */
record Topics(String lineAllocated, String changeBatchQuantity, String changeBatchQuantityDead, String group) {

    /** The names of the contract (API.md, "Kafka"). */
    static final Topics CONTRACT = new Topics(KafkaBroker.LINE_ALLOCATED, KafkaBroker.CHANGE_BATCH_QUANTITY,
            KafkaBroker.CHANGE_BATCH_QUANTITY_DEAD, KafkaBroker.GROUP);

    Topics {
        Objects.requireNonNull(lineAllocated, "lineAllocated must not be null");
        Objects.requireNonNull(changeBatchQuantity, "changeBatchQuantity must not be null");
        Objects.requireNonNull(changeBatchQuantityDead, "changeBatchQuantityDead must not be null");
        Objects.requireNonNull(group, "group must not be null");
    }
}
