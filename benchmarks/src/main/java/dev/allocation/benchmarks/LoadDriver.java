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
 * A closed-loop load driver: a fixed number of client threads, each running one operation after another
 * with no pause, first for a warm-up (not recorded), then for the measured window. Every operation that
 * starts in the window is timed; throughput is those operations over the time from the window's start to
 * the end of the last of them (every client ends with at least one measured operation, however slow).
 */
final class LoadDriver {

    private static final Logger log = LoggerFactory.getLogger(LoadDriver.class);

    /** One client's operations, created on and used by its own thread. */
    interface Client extends AutoCloseable {
        /** Runs operation {@code sequence}; returns how many lost races it retried. */
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

    /** One variant of a comparison: its label, threads, and its clients for a given round. */
    record Variant(String label, int threads, RoundClients clients) {
    }

    /** The clients of one round (order ids must differ between rounds). */
    @FunctionalInterface
    interface RoundClients {
        ClientFactory forRound(int round);
    }

    private LoadDriver() {
    }

    static LoadResult run(String label, int threads, Duration warmup, Duration measure, ClientFactory clients) {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        long[] window = new long[2];
        long[][] counts = new long[threads][4];   // operations, retries, failures, end of the last one
        Histogram[] histograms = new Histogram[threads];
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Histogram histogram = histograms[t] = LoadResult.newHistogram();
            long[] count = counts[t];
            Thread worker = new Thread(() -> {
                try (Client client = clients.create(index)) {
                    start.await();
                    start.await();   // the driver has set the window
                    for (long sequence = 0; ; sequence++) {
                        long began = System.nanoTime();
                        if (began >= window[1] && (count[0] > 0 || count[2] > 0)) {
                            break;
                        }
                        boolean measured = began >= window[0];
                        try {
                            int retries = client.run(sequence, measured);
                            long ended = System.nanoTime();
                            if (measured) {
                                histogram.recordValue(Math.min(ended - began, histogram.getHighestTrackableValue()));
                                count[0]++;
                                count[1] += retries;
                                count[3] = ended;
                            }
                        } catch (Exception e) {
                            firstFailure.compareAndSet(null, e);
                            if (measured) {
                                count[2]++;
                                count[3] = System.nanoTime();
                            }
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
            window[0] = System.nanoTime() + warmup.toNanos();
            window[1] = window[0] + measure.toNanos();
            start.await();
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (Exception e) {
            workers.forEach(Thread::interrupt);
            throw new IllegalStateException(label + ": the clients did not start: " + firstFailure.get(), e);
        }
        Histogram all = LoadResult.newHistogram();
        long[] total = new long[3];
        long lastEnd = window[1];
        for (int t = 0; t < threads; t++) {
            all.add(histograms[t]);
            for (int i = 0; i < 3; i++) {
                total[i] += counts[t][i];
            }
            lastEnd = Math.max(lastEnd, counts[t][3]);
        }
        double seconds = (lastEnd - window[0]) / 1e9;
        return new LoadResult(label, threads, total[0], seconds, total[1], total[2],
                firstFailure.get() == null ? null : firstFailure.get().toString(), all, List.of(total[0] / seconds));
    }

    /**
     * Runs the variants to compare in interleaved slices (A, B, C, A, B, C, ...), so that whatever else the
     * machine does weighs on each alike. Returns one merged result per variant, in order.
     */
    static List<LoadResult> interleaved(List<Variant> variants, Settings settings) {
        List<List<LoadResult>> slices = new ArrayList<>();
        variants.forEach(v -> slices.add(new ArrayList<>()));
        for (int round = 0; round < settings.rounds(); round++) {
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                slices.get(v).add(run(variant.label(), variant.threads(),
                        round == 0 ? settings.warmup() : settings.sliceWarmup(), settings.slice(),
                        variant.clients().forRound(round)));
            }
        }
        List<LoadResult> merged = slices.stream().map(LoadResult::merge).toList();
        merged.forEach(result -> log.info("{}", result));
        return merged;
    }
}
