package dev.allocation.adapters.kafka;

import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.Backoff;
import dev.allocation.application.LogText;
import dev.allocation.application.TooMuchContention;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.domain.Refusal;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@value KafkaBroker#CHANGE_BATCH_QUANTITY} in the consumer group {@value KafkaBroker#GROUP}: each
 * record {@code {"batchref","qty"}} is handled as a {@link ChangeBatchQuantity}, one at a time in partition
 * order, and its offset committed once its unit of work committed and before the partition's next record
 * is handled, so that a consumer that dies leaves at most the one record it handled last uncommitted: the
 * partition's next owner handles it again, which sets the quantity it set, and never an older record of
 * a batch after a newer one.
 *
 * <ul>
 *   <li>A record the service refuses (malformed by {@link ChangeBatchQuantityJson}, or refused by the
 *       service: an unknown batch) is produced to {@value KafkaBroker#CHANGE_BATCH_QUANTITY_DEAD} with its
 *       key, value and headers, plus the headers {@code error}, {@code partition} and {@code offset};
 *       once the broker acknowledged it, the record is passed.</li>
 *   <li>A record that fails because the storage is away ({@link StorageUnavailable}, or
 *       {@link TooMuchContention}) is read again, after a growing pause, before any later record of its
 *       partition, for as long as that lasts. One that fails otherwise is tried {@value #MAX_ATTEMPTS}
 *       times, then goes to the dead topic: a poison record never stops its partition.</li>
 * </ul>
 * Handling a record twice changes nothing the second time: it sets a quantity.
 */
final class KafkaCommandConsumer implements AutoCloseable {

    /** Attempts after which a record that keeps failing for an unexpected reason goes to the dead topic. */
    static final int MAX_ATTEMPTS = 20;

    /** How long {@link #close()} waits for the record being handled and the last commit. */
    static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration COMMIT_WITHIN = Duration.ofSeconds(5);
    /** The pause after a record failed, growing with each failure in a row. */
    static final Backoff BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));
    private static final Logger log = LoggerFactory.getLogger(KafkaCommandConsumer.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> deadLetters;
    private final Duration deadLetterWithin;
    private final AllocationUseCases useCases;
    private final Topics topics;
    private final Backoff backoff;
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;

    // confined to the polling thread
    /** The next offset of each partition whose records up to it are handled, not yet committed. */
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private TopicPartition failingPartition;
    private long failingOffset = -1;
    private int attempts;

    /**
     * @param deadLetters      the producer for the dead topic (shared, not closed here)
     * @param deadLetterWithin how long to wait for the broker to acknowledge a dead letter
     */
    KafkaCommandConsumer(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetters, Duration deadLetterWithin,
                         AllocationUseCases useCases, Topics topics, Backoff backoff) {
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.deadLetterWithin = deadLetterWithin;
        this.useCases = useCases;
        this.topics = topics;
        this.backoff = backoff;
        this.thread = new Thread(this::run, "allocation-kafka-consumer");
        this.thread.start();
    }

    private void run() {
        int failures = 0;
        try {
            consumer.subscribe(List.of(topics.changeBatchQuantity()), new CommitOnRevoke());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                boolean allHandled = true;
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                        if (!running) {
                            break;   // not handled: the partition's next owner, or this consumer's successor, reads it
                        }
                        // no record while one handled before it may still be handled again, by whoever reads next
                        if (!commitHandled() || !handle(record)) {
                            allHandled = false;
                            consumer.seek(partition, record.offset());   // read it again, before any later record
                            break;
                        }
                        handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                commitHandled();
                failures = allHandled ? 0 : failures + 1;
                if (!allHandled) {
                    pause(failures);
                }
            }
        } catch (WakeupException e) {
            // close(): stop
        } catch (RuntimeException e) {
            log.error("Consuming {} stopped: {}", topics.changeBatchQuantity(), LogText.escape(e.toString()), e);
        } finally {
            commitHandled();
            consumer.close(CloseOptions.timeout(COMMIT_WITHIN));
        }
    }

    /** True when the record is done with (handled, or dead and acknowledged); false to read it again later. */
    private boolean handle(ConsumerRecord<byte[], byte[]> record) {
        ChangeBatchQuantity command;
        try {
            command = ChangeBatchQuantityJson.fromRecord(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            return bury(record, "malformed: " + e.getMessage());
        }
        try {
            useCases.handle(command);
        } catch (Refusal e) {
            return bury(record, e.getMessage());
        } catch (StorageUnavailable | TooMuchContention e) {
            log.warn("Handling {} failed; read again later: {}", where(record), LogText.escape(e.toString()));
            return false;
        } catch (RuntimeException e) {
            int attempt = attempt(record);
            if (attempt >= MAX_ATTEMPTS) {
                return bury(record, "failed " + attempt + " times, last: " + e);
            }
            log.warn("Handling {} failed (attempt {} of {}); read again later: {}", where(record), attempt, MAX_ATTEMPTS,
                    LogText.escape(e.toString()), e);
            return false;
        }
        log.info("Handled {} from {}", LogText.escape(command.toString()), where(record));
        return true;
    }

    /** Counts an unexpected failure of {@code record}: how many it has had in a row. */
    private int attempt(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (!partition.equals(failingPartition) || record.offset() != failingOffset) {
            failingPartition = partition;
            failingOffset = record.offset();
            attempts = 0;
        }
        return ++attempts;
    }

    /**
     * Produces the record to the dead topic, with its key, value and headers, then {@code error},
     * {@code partition} and {@code offset}; true once the broker acknowledged it.
     */
    private boolean bury(ConsumerRecord<byte[], byte[]> record, String error) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("error", utf8(error));
        headers.add("partition", utf8(String.valueOf(record.partition())));
        headers.add("offset", utf8(String.valueOf(record.offset())));
        try {
            deadLetters.send(new ProducerRecord<>(topics.changeBatchQuantityDead(), null, record.key(), record.value(), headers))
                    .get(deadLetterWithin.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
            log.warn("Cannot set {} aside to {} now; read again later: {}", where(record), topics.changeBatchQuantityDead(),
                    LogText.escape(String.valueOf(e instanceof ExecutionException ? e.getCause() : e)));
            return false;
        }
        log.warn("Refused {}, produced to {}: {}", where(record), topics.changeBatchQuantityDead(), LogText.escape(error));
        return true;
    }

    /**
     * Commits the offsets past the records handled; those a rebalance took away are another member's now.
     * False when the commit failed: they stay to commit, and until then no later record is handled, so that
     * whoever reads the partition next handles again at most the one record handled last.
     */
    private boolean commitHandled() {
        if (handled.isEmpty()) {
            return true;
        }
        for (int tries = 0; tries < 2; tries++) {   // a close()'s wake-up may interrupt the first
            try {
                consumer.commitSync(handled, COMMIT_WITHIN);
                handled.clear();
                return true;
            } catch (WakeupException e) {
                running = false;
            } catch (KafkaException e) {
                // a rebalance in progress, a timeout: tried again before the next record (a revocation drops
                // the partitions that are another member's now)
                log.warn("Committing {} failed; tried again before any later record: {}", handled,
                        LogText.escape(e.toString()));
                return false;
            }
        }
        return false;
    }

    private String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void pause(int failures) {
        try {
            stopping.await(backoff.delay(failures).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Commits what was handled before a partition goes to another member, so that none is handled twice. */
    private final class CommitOnRevoke implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitHandled();
            handled.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Consuming {} in group {}: assigned {}", topics.changeBatchQuantity(), topics.group(), partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            handled.keySet().removeAll(partitions);   // another member owns them already: nothing to commit
        }
    }

    /** Stops polling; the record being handled finishes and what was handled is committed first. Idempotent. */
    @Override
    public void close() {
        running = false;
        stopping.countDown();
        if (thread.isAlive()) {
            consumer.wakeup();
        }
        try {
            thread.join(CLOSE_WITHIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The consumer of {} did not stop within {}", topics.changeBatchQuantity(), CLOSE_WITHIN);
        }
    }
}
