package dev.allocation.benchmarks;

import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Scenario 6 (JMH): Allocates per second on one thread through the whole bus of an in-memory service
 * ({@code Bootstrap.builder().inMemory()}): validation, handler, unit of work, version check, the
 * Allocated event's handlers (publisher and read model). Each Allocate is a new order on one of 1,000
 * skus; the service is new for every iteration, so that the heap does not fill up with lines.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InMemoryBusBenchmark {

    private static final int SKUS = 1_000;

    private AllocationService service;
    private String[] skus;
    private long order;

    /** A new in-memory service with 1,000 skus of one large warehouse batch each. */
    @Setup(Level.Iteration)
    public void start() {
        service = Bootstrap.builder().inMemory()
                .notifications((destination, message) -> { })
                .eventPublisher(event -> { })
                .build();
        skus = new String[SKUS];
        for (int i = 0; i < SKUS; i++) {
            skus[i] = "sku-" + i;
            service.handle(new CreateBatch("batch-" + i, skus[i], Integer.MAX_VALUE, null));
        }
    }

    /** Closes the iteration's service. */
    @TearDown(Level.Iteration)
    public void stop() {
        service.close();
    }

    /** One Allocate of a new order line, through the bus. */
    @Benchmark
    public void allocate() {
        long n = order++;
        service.handle(new Allocate("order-" + n, skus[(int) (n % SKUS)], 1));
    }

    /** The result of one JMH run: mean Allocates per second and its 99.9% confidence half-width. */
    record Result(double score, double error, String unit, int forks, int iterations, String iterationTime) {
    }

    /** Runs the benchmark with JMH ({@code forks} 0 runs it in this JVM: for the smoke run only). */
    static Result run(Settings settings) throws RunnerException {
        OptionsBuilder options = new OptionsBuilder();
        options.include(InMemoryBusBenchmark.class.getName() + ".allocate")
                .forks(settings.jmhForks())
                .threads(1)
                .warmupIterations(settings.jmhWarmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.jmhIterationTime().toMillis()))
                .measurementIterations(settings.jmhIterations())
                .measurementTime(TimeValue.milliseconds(settings.jmhIterationTime().toMillis()))
                .jvmArgs("-Xms2g", "-Xmx2g")
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(options.build()).run();
        RunResult result = results.iterator().next();
        return new Result(result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError(),
                result.getPrimaryResult().getScoreUnit(), settings.jmhForks(),
                settings.jmhIterations(), settings.jmhIterationTime().toMillis() + " ms");
    }
}
