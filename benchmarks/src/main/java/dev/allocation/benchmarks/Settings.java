package dev.allocation.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each scenario runs. {@code full} is the run of record (about 10 to 15 minutes on
 * 2 cores); {@code quick} a shorter look; {@code smoke} the very short run CI makes to check that every
 * scenario still completes.
 *
 * <p>Variants that are compared (the service and its reference, the locking strategies) run in
 * interleaved slices: {@code rounds} × ({@code sliceWarmup} + {@code slice}) each, the first slice
 * after {@code warmup} instead, so that background load on the machine weighs on all of them alike.
 */
record Settings(String mode,
                Duration warmup, Duration sliceWarmup, Duration slice, int rounds,
                List<Integer> threads, int skus, int contentionThreads,
                List<Integer> growthLevels, int growthRounds, int growthPerRound, int growthWarmupOps,
                int reallocationLines, int reallocationRuns,
                Duration httpWarmup, Duration httpMeasure, int httpClients,
                int jmhWarmupIterations, int jmhIterations, Duration jmhIterationTime, int jmhForks,
                int heapAllocations, int heapNewAllocations, int heapReads, String heapMax,
                int traceAllocations, List<Integer> whatIfThreads, int cpuRounds, int cpuOpsPerRound) {

    static Settings of(String mode) {
        return switch (mode) {
            case "full" -> new Settings(mode,
                    Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(2), 3,
                    List.of(1, 2, 4, 8), 1_000, 8,
                    List.of(0, 1_000, 10_000, 100_000), 10, 100, 2_000,
                    1_000, 3,
                    Duration.ofSeconds(3), Duration.ofSeconds(6), 8,
                    3, 5, Duration.ofSeconds(2), 1,
                    1_000_000, 5_000, 1_000, "256m",
                    500, List.of(1, 8), 15, 300);
            case "quick" -> new Settings(mode,
                    Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(1), 2,
                    List.of(1, 2, 4, 8), 1_000, 8,
                    List.of(0, 1_000, 10_000, 100_000), 5, 100, 1_000,
                    1_000, 1,
                    Duration.ofSeconds(1), Duration.ofSeconds(2), 8,
                    2, 3, Duration.ofSeconds(1), 1,
                    1_000_000, 2_000, 500, "256m",
                    200, List.of(1, 8), 7, 200);
            case "smoke" -> new Settings(mode,
                    Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(250), 1,
                    List.of(1, 8), 50, 8,
                    List.of(0, 200), 2, 20, 50,
                    20, 1,
                    Duration.ofMillis(100), Duration.ofMillis(300), 4,
                    1, 1, Duration.ofMillis(200), 0,
                    5_000, 50, 20, "256m",
                    20, List.of(1), 2, 20);
            default -> throw new IllegalArgumentException("Unknown mode " + mode + ": full, quick or smoke");
        };
    }

    /** Measured time per compared variant: {@code rounds} slices. */
    Duration measured() {
        return slice.multipliedBy(rounds);
    }
}
