package dev.allocation.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * A closed-loop load driver: client threads each run one operation after another with no pause, first
 * for a warm-up (not recorded), then for the measured window. Every operation that starts in the window
 * is timed; throughput is those operations over the time from the window's start to the end of the last
 * of them (every client ends with at least one measured operation, however slow). The processor time of
 * the same span is read too ({@link ProcessorTime}).
 */
final class LoadDriver {

    /** One client's operations, created on and used by its own thread. */
    interface Client extends AutoCloseable {
        /** Runs operation {@code sequence}; returns how many lost races it retried. */
        int run(long sequence, boolean measured) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Makes the client of thread {@code index}. */
    interface ClientFactory {
        Client create(int index) throws Exception;
    }

    /** One variant of a comparison: its label, threads, and its clients for a given round (order ids differ by round). */
    record Variant(String label, int threads, IntFunction<ClientFactory> clients) {
    }

    /** How long past its window the driver waits for the last operations before it reads the processor time. */
    private static final Duration FINISH_GRACE = Duration.ofSeconds(60);

    private LoadDriver() {
    }

    static LoadResult run(String label, int threads, Duration warmup, Duration measure, ClientFactory clients) {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        // the window's processor time is read before the clients close their connections, by the barrier's
        // action, before any client goes on: closing them is not an operation measured, and a client thread
        // that ended would take its time out of the JVM's split by thread
        AtomicReference<ProcessorTime.Reading> atFinish = new AtomicReference<>();
        CyclicBarrier finish = new CyclicBarrier(threads + 1, () -> atFinish.set(ProcessorTime.read()));
        long[] window = new long[2];
        long[] total = new long[4];   // operations, retries, failures, end of the last one
        Histogram all = LoadResult.newHistogram();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<Thread> workers = IntStream.range(0, threads).mapToObj(index -> new Thread(() -> {
            long[] count = new long[4];
            Histogram histogram = LoadResult.newHistogram();
            try (Client client = clients.create(index)) {
                start.await();
                start.await();   // the driver has set the window
                for (long sequence = 0, began = System.nanoTime(); began < window[1] || count[0] + count[2] == 0;
                     sequence++, began = System.nanoTime()) {
                    boolean measured = began >= window[0];
                    try {
                        int retries = client.run(sequence, measured);
                        if (measured) {
                            count[3] = System.nanoTime();
                            histogram.recordValue(Math.min(count[3] - began, histogram.getHighestTrackableValue()));
                            count[0]++;
                            count[1] += retries;
                        }
                    } catch (Exception e) {
                        firstFailure.compareAndSet(null, e);
                        count[2] += measured ? 1 : 0;
                        count[3] = measured ? System.nanoTime() : count[3];
                    }
                }
                try {
                    finish.await();   // the driver reads the processor time; then the client closes
                } catch (BrokenBarrierException e) {
                    // the driver stopped waiting for a client that hung: nothing of this one's was lost
                }
            } catch (Exception e) {
                firstFailure.compareAndSet(null, e);
                start.reset();
            }
            synchronized (all) {
                all.add(histogram);
                IntStream.range(0, 3).forEach(i -> total[i] += count[i]);
                total[3] = Math.max(total[3], count[3]);
            }
        }, "bench-client-" + index)).toList();
        workers.forEach(Thread::start);
        ProcessorTime.Reading began;
        ProcessorTime.Reading ended;
        try {
            start.await();
            window[0] = System.nanoTime() + warmup.toNanos();
            window[1] = window[0] + measure.toNanos();
            start.await();
            for (long left; (left = window[0] - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);   // the processor time is read from the window's start
            }
            began = ProcessorTime.read();
            try {
                finish.await(window[1] - System.nanoTime() + FINISH_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            } catch (BrokenBarrierException | TimeoutException e) {
                // a client failed or hangs: its connection may close while the time is read
            }
            ended = atFinish.get() != null ? atFinish.get() : ProcessorTime.read();
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (Exception e) {
            workers.forEach(Thread::interrupt);
            throw new IllegalStateException(label + ": the clients did not start: " + firstFailure.get(), e);
        }
        double seconds = (Math.max(total[3], window[1]) - window[0]) / 1e9;
        return new LoadResult(label, threads, total[0], seconds, total[1], total[2],
                firstFailure.get() == null ? null : firstFailure.get().toString(), all, List.of(total[0] / seconds),
                ProcessorTime.between(began, ended));
    }

    /**
     * Runs the variants to compare in interleaved slices (A, B, C, A, B, C, ...), so that whatever else the
     * machine does weighs on each alike. Returns one merged result per variant, in order. Before the first
     * slice, each variant warms up in turn, and then {@code settle} brings the database to how it runs
     * ({@link Fixture#settle()}).
     */
    static List<LoadResult> interleaved(List<Variant> variants, Settings settings, Runnable settle) {
        return interleaved(variants, settings, settings.rounds(), false, settle);
    }

    /**
     * {@link #interleaved(List, Settings, int, boolean, Runnable)} in {@code rounds}, the order reversed every
     * other round, after running the variants in turn until the JIT compiler has settled
     * ({@link #untilCompiled}): for code paths as long as the HTTP API's, whose compilation can go on long
     * after the warm-up while it competes with the load on the same cores, so that the slices measure the
     * code as it runs once compiled, as a service that has run a while runs it. The order alternates
     * because the slice right after another variant's read lowest (docs/benchmarks.md, sections 25 and
     * 26): in a fixed order, one variant would always pay for it.
     */
    static List<LoadResult> interleavedOnceCompiled(List<Variant> variants, Settings settings, int rounds,
                                                    Runnable settle) {
        return interleaved(variants, settings, rounds, true, settle, true);
    }

    /**
     * {@link #untilCompiled(List, Duration, Duration)} in passes as long as a slice with its warm-up, for at
     * most {@link Settings#jitSettle()}.
     */
    static void untilCompiled(List<Variant> variants, Settings settings) {
        untilCompiled(variants, settings.sliceWarmup().plus(settings.slice()), settings.jitSettle());
    }

    /**
     * Runs the variants in turn, {@code pass} each (rounds -2, -3 and so on: orders of their own, nothing kept), until
     * the JIT compiler worked for less than {@value #SETTLED_SHARE} of a whole pass's time
     * (the JVM's compilation time, every compiler thread's, against the pass's wall time), or for at most
     * {@code limit}; logs how long it took. Nothing is measured.
     */
    private static void untilCompiled(List<Variant> variants, Duration pass, Duration limit) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (limit.isZero() || jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long began = System.nanoTime();
        double share;
        int round = -2;
        do {
            long compiled = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            for (Variant variant : variants) {
                run(variant.label(), variant.threads(), pass, Duration.ZERO, variant.clients().apply(round));
            }
            round--;
            share = (jit.getTotalCompilationTime() - compiled) * 1e6 / (System.nanoTime() - start);
        } while (share >= SETTLED_SHARE && System.nanoTime() - began < limit.toNanos());
        LoggerFactory.getLogger(LoadDriver.class).info("{}: the JIT compiler {} after {} s (its share of the last pass {})",
                variants.get(0).label(), share < SETTLED_SHARE ? "settled" : "had not settled",
                String.format(Locale.ROOT, "%.0f", (System.nanoTime() - began) / 1e9),
                String.format(Locale.ROOT, "%.1f%%", 100 * share));
    }

    /** The share of a pass's time below which the JIT compiler counts as settled. */
    static final double SETTLED_SHARE = 0.02;

    /**
     * {@link #interleaved(List, Settings, Runnable)} in this many rounds; with {@code alternate}, the order
     * reversed every other round (A B, B A, A B, ...), so that neither variant always runs right after the other.
     */
    static List<LoadResult> interleaved(List<Variant> variants, Settings settings, int rounds, boolean alternate,
                                        Runnable settle) {
        return interleaved(variants, settings, rounds, alternate, settle, false);
    }

    private static List<LoadResult> interleaved(List<Variant> variants, Settings settings, int rounds,
                                                boolean alternate, Runnable settle, boolean onceCompiled) {
        for (Variant variant : variants) {   // round -1: orders of their own, nothing kept
            run(variant.label(), variant.threads(), settings.warmup(), Duration.ZERO, variant.clients().apply(-1));
        }
        if (onceCompiled) {
            untilCompiled(variants, settings);
        }
        settle.run();
        List<List<LoadResult>> slices = variants.stream().map(v -> (List<LoadResult>) new ArrayList<LoadResult>()).toList();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < variants.size(); i++) {
                int v = alternate && round % 2 == 1 ? variants.size() - 1 - i : i;
                Variant variant = variants.get(v);
                slices.get(v).add(run(variant.label(), variant.threads(), settings.sliceWarmup(), settings.slice(),
                        variant.clients().apply(round)));
            }
        }
        List<LoadResult> merged = slices.stream().map(LoadResult::merge).toList();
        merged.forEach(result -> LoggerFactory.getLogger(LoadDriver.class).info("{}", result));
        return merged;
    }
}
