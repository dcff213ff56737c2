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
            Histogram histogram = LoadResult.newHistogram();
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
        Histogram all = LoadResult.newHistogram();
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
                firstFailure.get() == null ? null : firstFailure.get().toString(), all,
                List.of(seconds == 0 ? 0.0 : operations / seconds));
        log.debug("{}", result);
        return result;
    }

    /** One variant of a comparison: what it is called, and its clients for a given round. */
    record Variant(String label, int threads, RoundClients clients) {
    }

    /** The clients of one round of a variant (order ids must differ between rounds). */
    @FunctionalInterface
    interface RoundClients {
        ClientFactory forRound(int round);
    }

    /**
     * Runs variants that are to be compared in interleaved slices (A, B, A, B, ...), so that whatever
     * else the machine does weighs on each alike: {@code rounds} slices of {@code slice} each, after
     * {@code firstWarmup} in the first round and {@code warmup} in the others. Returns one merged
     * result per variant, in order.
     */
    static List<LoadResult> interleaved(List<Variant> variants, int rounds, Duration firstWarmup, Duration warmup,
                                        Duration slice) {
        List<List<LoadResult>> slices = new ArrayList<>();
        variants.forEach(v -> slices.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                slices.get(v).add(run(variant.label(), variant.threads(), round == 0 ? firstWarmup : warmup, slice,
                        variant.clients().forRound(round)));
            }
        }
        List<LoadResult> merged = new ArrayList<>();
        for (List<LoadResult> variant : slices) {
            LoadResult result = LoadResult.merge(variant);
            log.info("{}", result);
            merged.add(result);
        }
        return merged;
    }
}
