package dev.allocation.benchmarks;

/**
 * What a load run measured: operations completed in the window and their latencies (microseconds).
 *
 * @param retries  lost races retried, summed over the operations (the bus's, or the raw loop's)
 * @param failures operations that threw
 * @param failure  the first failure, for the report; null when none
 */
record LoadResult(String label, int threads, long operations, double seconds, long retries, long failures,
                  double p50Micros, double p99Micros, double maxMicros, double meanMicros, String failure) {

    /** Operations per second. */
    double throughput() {
        return operations / seconds;
    }

    /** Retries per completed operation. */
    double retriesPerOperation() {
        return operations == 0 ? 0 : (double) retries / operations;
    }

    @Override
    public String toString() {
        return String.format("%s x%d: %.0f/s, p50 %.0f us, p99 %.0f us, retries/op %.2f, failures %d%s",
                label, threads, throughput(), p50Micros, p99Micros, retriesPerOperation(), failures,
                failure == null ? "" : " (" + failure + ")");
    }
}
