package dev.allocation.benchmarks;

import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured: operations completed in the window and their latencies (microseconds).
 *
 * @param retries   lost races retried, summed over the operations (the bus's, or the raw loop's)
 * @param failures  operations that threw
 * @param failure   the first failure, for the report; null when none
 * @param histogram every measured operation's latency, nanoseconds
 * @param slices    the throughput of each slice, in the order they ran
 */
record LoadResult(String label, int threads, long operations, double seconds, long retries, long failures,
                  String failure, Histogram histogram, List<Double> slices) {

    static Histogram newHistogram() {
        return new Histogram(Duration.ofSeconds(60).toNanos(), 3);
    }

    /**
     * Several slices of one variant as one result: operations, time, retries and failures added up,
     * histograms merged.
     */
    static LoadResult merge(List<LoadResult> slices) {
        LoadResult first = slices.get(0);
        Histogram all = newHistogram();
        long operations = 0;
        long retries = 0;
        long failures = 0;
        double seconds = 0;
        String failure = null;
        List<Double> throughputs = new java.util.ArrayList<>();
        for (LoadResult slice : slices) {
            throughputs.addAll(slice.slices());
            all.add(slice.histogram());
            operations += slice.operations();
            retries += slice.retries();
            failures += slice.failures();
            seconds += slice.seconds();
            failure = failure != null ? failure : slice.failure();
        }
        return new LoadResult(first.label(), first.threads(), operations, seconds, retries, failures, failure, all,
                List.copyOf(throughputs));
    }

    /** Operations per second. */
    double throughput() {
        return seconds == 0 ? 0 : operations / seconds;
    }

    /** Retries per completed operation. */
    double retriesPerOperation() {
        return operations == 0 ? 0 : (double) retries / operations;
    }

    double p50Micros() {
        return histogram.getValueAtPercentile(50) / 1e3;
    }

    double p99Micros() {
        return histogram.getValueAtPercentile(99) / 1e3;
    }

    double meanMicros() {
        return histogram.getMean() / 1e3;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%s x%d: %.0f/s, p50 %.0f us, p99 %.0f us, retries/op %.2f, failures %d%s",
                label, threads, throughput(), p50Micros(), p99Micros(), retriesPerOperation(), failures,
                failure == null ? "" : " (" + failure + ")");
    }
}
