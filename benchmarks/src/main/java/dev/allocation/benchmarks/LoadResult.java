package dev.allocation.benchmarks;

import java.time.Duration;
import java.util.*;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured: operations completed in the window, lost races retried (the raw twin's),
 * operations that threw (and the first failure), every latency in nanoseconds, the throughput of each
 * interleaved slice in the order they ran, and the processor time the window took.
 */
record LoadResult(String label, int threads, long operations, double seconds, long retries, long failures,
                  String failure, Histogram histogram, List<Double> slices, ProcessorTime processor) {

    static Histogram newHistogram() {
        return new Histogram(Duration.ofSeconds(60).toNanos(), 3);
    }

    /** The slices of one variant as one result: counts, time and processor time added up, histograms merged. */
    static LoadResult merge(List<LoadResult> slices) {
        Histogram all = newHistogram();
        slices.forEach(slice -> all.add(slice.histogram()));
        return new LoadResult(slices.get(0).label(), slices.get(0).threads(), sum(slices, LoadResult::operations),
                slices.stream().mapToDouble(LoadResult::seconds).sum(), sum(slices, LoadResult::retries),
                sum(slices, LoadResult::failures), slices.stream().map(LoadResult::failure).filter(Objects::nonNull)
                        .findFirst().orElse(null), all, slices.stream().flatMap(slice -> slice.slices().stream()).toList(),
                slices.stream().map(LoadResult::processor).reduce(ProcessorTime.NONE, ProcessorTime::plus));
    }

    private static long sum(List<LoadResult> slices, ToLongFunction<LoadResult> count) {
        return slices.stream().mapToLong(count).sum();
    }

    /** Operations per second. */
    double throughput() {
        return seconds == 0 ? 0 : operations / seconds;
    }

    double p50Micros() {
        return histogram.getValueAtPercentile(50) / 1e3;
    }

    double p99Micros() {
        return histogram.getValueAtPercentile(99) / 1e3;
    }

    /** This throughput over {@code other}'s, and the lowest and highest ratio of slices run side by side. */
    double[] ratioTo(LoadResult other) {
        double low = Double.MAX_VALUE;
        double high = 0;
        for (int i = 0; i < Math.min(slices.size(), other.slices().size()); i++) {
            low = Math.min(low, slices.get(i) / other.slices().get(i));
            high = Math.max(high, slices.get(i) / other.slices().get(i));
        }
        return new double[] {throughput() / other.throughput(), low, high};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s x%d: %.0f/s, p50 %.0f us, p99 %.0f us, retries %d, failures %d, "
                        + "processor per operation %s; the JVM's threads %s µs%s", label, threads, throughput(), p50Micros(),
                p99Micros(), retries, failures, processor.describe(operations), processor.describeThreads(operations),
                failure == null ? "" : " (" + failure + ")");
    }
}
