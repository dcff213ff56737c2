package dev.allocation.spring.boot;

import dev.allocation.adapters.kafka.KafkaBroker;
import dev.allocation.bootstrap.AllocationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * The inbound Kafka consumer of {@code change_batch_quantity}, a member of the consumer group
 * {@code allocation} (which shares the partitions among the instances, each read in order), as the
 * service runs it. Phase {@link AllocationLifecycle#CONSUMERS_PHASE}, as the Redis consumers: started once
 * the web server is up, stopped before its graceful shutdown, so that no new command arrives while
 * requests drain.
 */
public class AllocationKafkaConsumers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AllocationKafkaConsumers.class);

    private final KafkaBroker kafka;
    private final ObjectProvider<AllocationService> service;
    private AutoCloseable running;

    AllocationKafkaConsumers(KafkaBroker kafka, ObjectProvider<AllocationService> service) {
        this.kafka = kafka;
        this.service = service;
    }

    @Override
    public synchronized void start() {
        if (running == null) {
            running = kafka.consume(service.getObject());
        }
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                log.warn("Stopping the Kafka consumer failed", e);
            } finally {
                running = null;
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return running != null;
    }

    @Override
    public int getPhase() {
        return AllocationLifecycle.CONSUMERS_PHASE;
    }
}
