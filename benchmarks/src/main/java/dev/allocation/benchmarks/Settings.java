package dev.allocation.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each scenario runs: {@code full} (the run of record), {@code quick} or
 * {@code smoke} (the seconds-long run of {@code mvn verify}; its numbers mean nothing). Compared variants
 * run in {@code rounds} interleaved slices of {@code slice}, after {@code warmup} in the first round and
 * {@code sliceWarmup} in the others. Where a comparison asks for it (the HTTP API against the floor), the
 * variants first run in turn until the JIT compiler has settled, for at most {@code jitSettle}
 * ({@link LoadDriver#untilCompiled}).
 */
record Settings(String mode, Duration warmup, Duration sliceWarmup, Duration slice, int rounds,
                List<Integer> threads, int skus, int contentionThreads,
                List<Integer> growthLevels, int growthRounds, int growthPerRound, int growthWarmupOps,
                int reallocationLines, int reallocationRuns, List<Integer> httpClients,
                int heapAllocations, int heapNewAllocations, int heapReads,
                int relayBacklog, int relayRate, int relayLatencySeconds, Duration jitSettle) {

    static Settings of(String mode) {
        return switch (mode) {
            case "full" -> new Settings(mode, Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(2), 3,
                    List.of(1, 2, 4, 8), 1_000, 8, List.of(0, 1_000, 10_000, 100_000), 10, 100, 2_000,
                    1_000, 3, List.of(1, 8, 32), 1_000_000, 5_000, 1_000, 1_000_000, 500, 20, Duration.ofSeconds(90));
            case "quick" -> new Settings(mode, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(1), 2,
                    List.of(1, 2, 4, 8), 1_000, 8, List.of(0, 1_000, 10_000, 100_000), 5, 100, 1_000,
                    1_000, 1, List.of(1, 8, 32), 1_000_000, 2_000, 500, 100_000, 500, 10, Duration.ofSeconds(20));
            case "smoke" -> new Settings(mode, Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(150), 1,
                    List.of(4), 50, 4, List.of(0, 200), 2, 20, 50,
                    20, 1, List.of(4), 5_000, 50, 20, 2_000, 100, 1, Duration.ZERO);
            default -> throw new IllegalArgumentException("Unknown mode " + mode + ": full, quick or smoke");
        };
    }
}
