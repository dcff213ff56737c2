package dev.allocation.benchmarks;

import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Scenario 6 (JMH): Allocates per second on one thread through the whole bus of an in-memory service
 * (validation, handler, unit of work, version check, the Allocated event's handlers). Each Allocate is a
 * new order on one of 1,000 skus; the service is new for every iteration, so the heap does not fill up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InMemoryBusBenchmark {

    private AllocationService service;
    private long order;

    /** A new in-memory service with 1,000 skus of one large warehouse batch each. */
    @Setup(Level.Iteration)
    public void start() {
        service = Fixture.quietBuilder().inMemory().build();
        for (int i = 0; i < 1_000; i++) {
            service.handle(new CreateBatch("batch-" + i, "sku-" + i, Integer.MAX_VALUE, null));
        }
    }

    @TearDown(Level.Iteration)
    public void stop() {
        service.close();
    }

    /** One Allocate of a new order line, through the bus. */
    @Benchmark
    public void allocate() {
        long n = order++;
        service.handle(new Allocate("order-" + n, "sku-" + n % 1_000, 1));
    }

    /** Mean Allocates per second and the half-width of its 99.9% confidence interval. */
    record Outcome(double score, double error, int forks, int iterations, String iterationTime) {
    }

    /** Runs the benchmark with JMH ({@code forks} 0, the smoke run's, runs it in this JVM). */
    static Outcome run(Settings settings) throws RunnerException {
        TimeValue time = TimeValue.milliseconds(settings.jmhIterationTime().toMillis());
        Result<?> result = new Runner(new OptionsBuilder().include(InMemoryBusBenchmark.class.getName() + ".allocate")
                .forks(settings.jmhForks()).threads(1).warmupIterations(settings.jmhWarmupIterations()).warmupTime(time)
                .measurementIterations(settings.jmhIterations()).measurementTime(time).jvmArgs("-Xms2g", "-Xmx2g")
                .shouldFailOnError(true).build()).runSingle().getPrimaryResult();
        return new Outcome(result.getScore(), result.getScoreError(), settings.jmhForks(), settings.jmhIterations(),
                time.toString());
    }
}
