package dev.allocation.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A closed-loop load driver: a fixed number of client threads, each running one operation after
 * another with no pause, first for a warm-up (not recorded), then for the measured window. Every
 * operation that starts in the window is timed into an HdrHistogram; throughput is those operations
 * divided by the time from the window's start to the end of the last of them (a client's last
 * operation may end a little after the window; a client too slow to start one in the window runs one
 * anyway, so that every run measures something).
 */
final class LoadDriver {

    private static final Logger log = LoggerFactory.getLogger(LoadDriver.class);

    /** One client's operations; created on, and used by, its own thread. */
    interface Client extends AutoCloseable {
        /**
         * Runs the operation number {@code sequence} of this client; {@code measured} is false during
         * the warm-up.
         *
         * @return how many times it had to be retried (lost races); 0 mostly
         */
        int run(long sequence, boolean measured) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Makes the client of thread {@code index}. */
    @FunctionalInterface
    interface ClientFactory {
        Client create(int index) throws Exception;
    }

    private LoadDriver() {
    }

    static LoadResult run(String label, int threads, Duration warmup, Duration measure, ClientFactory clients) {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        long[] window = new long[2];
        List<Histogram> histograms = new ArrayList<>();
        long[][] counts = new long[threads][3];   // operations, retries, failures
        long[] ends = new long[threads];           // when each client's last measured operation ended
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Histogram histogram = new Histogram(Duration.ofSeconds(60).toNanos(), 3);
            histograms.add(histogram);
            Thread worker = new Thread(() -> {
                try (Client client = clients.create(index)) {
                    start.await();
                    start.await();   // the driver has set the window
                    long measureFrom = window[0];
                    long until = window[1];
                    long sequence = 0;
                    while (true) {
                        long began = System.nanoTime();
                        // every client ends with at least one measured operation, however slow
                        if (began >= until && (counts[index][0] > 0 || counts[index][2] > 0)) {
                            break;
                        }
                        boolean measured = began >= measureFrom;
                        int retries;
                        try {
                            retries = client.run(sequence++, measured);
                        } catch (Exception e) {
                            if (measured) {
                                counts[index][2]++;
                                ends[index] = System.nanoTime();
                            }
                            firstFailure.compareAndSet(null, e);
                            continue;
                        }
                        long ended = System.nanoTime();
                        if (measured) {
                            histogram.recordValue(Math.min(ended - began, histogram.getHighestTrackableValue()));
                            counts[index][0]++;
                            counts[index][1] += retries;
                            ends[index] = ended;
                        }
                    }
                } catch (Exception e) {
                    firstFailure.compareAndSet(null, e);
                    start.reset();
                }
            }, "bench-client-" + index);
            workers.add(worker);
            worker.start();
        }
        try {
            start.await();
            long now = System.nanoTime();
            window[0] = now + warmup.toNanos();
            window[1] = window[0] + measure.toNanos();
            start.await();
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (Exception e) {
            for (Thread worker : workers) {
                worker.interrupt();
            }
            throw new IllegalStateException(label + ": the clients did not start: " + firstFailure.get(), e);
        }
        Histogram all = new Histogram(Duration.ofSeconds(60).toNanos(), 3);
        histograms.forEach(all::add);
        long operations = 0;
        long retries = 0;
        long failures = 0;
        for (long[] count : counts) {
            operations += count[0];
            retries += count[1];
            failures += count[2];
        }
        long lastEnd = window[1];
        for (long end : ends) {
            lastEnd = Math.max(lastEnd, end);
        }
        double seconds = (lastEnd - window[0]) / 1e9;
        LoadResult result = new LoadResult(label, threads, operations, seconds, retries, failures,
                all.getValueAtPercentile(50) / 1e3, all.getValueAtPercentile(99) / 1e3, all.getMaxValue() / 1e3,
                all.getMean() / 1e3, firstFailure.get() == null ? null : firstFailure.get().toString());
        log.info("{}", result);
        return result;
    }
}
