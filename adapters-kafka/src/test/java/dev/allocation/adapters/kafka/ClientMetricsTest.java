package dev.allocation.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.domain.events.Allocated;
import dev.allocation.testing.LocalKafka;
import java.io.Closeable;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

/**
 * What {@code KafkaBroker.connect(servers, extra, clientMetrics)} hands over: each client as it opens, and
 * the end of its watch after the client closed; and a metrics library that fails costs the broker nothing.
 */
class ClientMetricsTest {

    private final LocalKafka kafka = LocalKafka.get();

    /** A watch on one client, and whether it was ended. */
    private static final class Watch implements AutoCloseable {
        final Closeable client;
        volatile boolean ended;

        Watch(Closeable client) {
            this.client = client;
        }

        @Override
        public void close() {
            ended = true;
        }
    }

    @Test
    void the_producer_and_each_consumer_are_handed_over_as_they_open_and_let_go_after_they_close() throws Exception {
        Topics topics = TestTopics.of(kafka, "metrics", 1);
        List<Watch> watches = new CopyOnWriteArrayList<>();
        KafkaBroker broker = KafkaBroker.connect(kafka.bootstrapServers(), new Properties(), topics, client -> {
            Watch watch = new Watch(client);
            watches.add(watch);
            return watch;
        });
        try {
            assertThat(watches).singleElement().satisfies(watch -> assertThat(watch.client).isInstanceOf(Producer.class));

            AutoCloseable consuming = broker.consume(new RecordingUseCases());
            assertThat(watches).hasSize(2);
            assertThat(watches.get(1).client).isInstanceOf(Consumer.class);
            consuming.close();
            assertThat(watches.get(1).ended).as("the consumer's watch, once it closed").isTrue();
            assertThat(watches.get(0).ended).as("the producer's, while it is open").isFalse();

            broker.consume(new RecordingUseCases());   // closed with the broker
        } finally {
            broker.close();
        }
        assertThat(watches).hasSize(3).allSatisfy(watch -> assertThat(watch.ended).isTrue());
    }

    @Test
    void metrics_that_fail_leave_the_clients_working_without_them() {
        Topics topics = TestTopics.of(kafka, "metrics-failing", 1);
        try (KafkaBroker broker = KafkaBroker.connect(kafka.bootstrapServers(), new Properties(), topics, client -> {
            throw new IllegalStateException("no metrics today");
        })) {
            broker.publisher().publish("event-1", new Allocated("order-1", "LAMP", 1, "batch-1"));
            assertThat(broker.isHealthy()).isTrue();
        }
    }
}
