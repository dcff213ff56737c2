package dev.allocation.adapters.kafka;

import dev.allocation.testing.LocalKafka;
import java.util.UUID;

/** Topic and group names of a test's own on the shared test broker, so that tests never see each other's records. */
final class TestTopics {

    private TestTopics() {
    }

    /** Names made from {@code test}; the topics are created with {@code partitions} each. */
    static Topics of(LocalKafka kafka, String test, int partitions) {
        String suffix = "." + test + "." + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(KafkaBroker.LINE_ALLOCATED + suffix, KafkaBroker.CHANGE_BATCH_QUANTITY + suffix,
                KafkaBroker.CHANGE_BATCH_QUANTITY_DEAD + suffix, KafkaBroker.GROUP + suffix);
        kafka.createTopics(partitions, topics.lineAllocated(), topics.changeBatchQuantity(), topics.changeBatchQuantityDead());
        return topics;
    }
}
