package dev.allocation.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bound on requests handled at once and waiting: what the listeners' 503 "busy" rests on. */
@Timeout(60)
class AdmissionTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger ran = new AtomicInteger();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void a_request_admitted_at_once_runs_on_the_calling_thread() {
        Admission admission = new Admission(1, 1, pool);
        Thread[] ranOn = new Thread[1];

        boolean admitted = admission.run(() -> ranOn[0] = Thread.currentThread());

        assertThat(admitted).isTrue();
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    }

    @Test
    void beyond_those_running_and_those_waiting_a_request_is_refused_and_every_admitted_one_runs() throws Exception {
        Admission admission = new Admission(2, 3, pool);
        CountDownLatch release = new CountDownLatch(1);
        Runnable blocked = () -> counted(() -> await(release));
        List<Future<Boolean>> holders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            holders.add(pool.submit(() -> admission.run(blocked)));   // runs on its caller, which it blocks
        }
        waitFor(() -> running.get() == 2);

        int admitted = 0;
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            if (admission.run(blocked)) {
                admitted++;
            } else {
                refused++;
            }
        }
        assertThat(admitted).as("admitted to wait").isEqualTo(3);
        assertThat(refused).isEqualTo(7);
        assertThat(ran.get()).as("none of those waiting ran while both ran").isZero();

        release.countDown();
        for (Future<Boolean> holder : holders) {
            assertThat(holder.get(10, TimeUnit.SECONDS)).isTrue();
        }
        waitFor(() -> ran.get() == 5);
        assertThat(mostAtOnce.get()).isEqualTo(2);
        assertThat(admission.run(() -> { })).as("a free admission again").isTrue();
    }

    @Test
    void callers_racing_for_it_never_run_more_than_the_bound_and_lose_no_admitted_request() throws Exception {
        Admission admission = new Admission(2, 4, pool);
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> callers = new ArrayList<>();
        for (int caller = 0; caller < 8; caller++) {
            callers.add(pool.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (admission.run(() -> counted(Thread::yield))) {
                        admitted.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> caller : callers) {
            caller.get(30, TimeUnit.SECONDS);
        }

        waitFor(() -> ran.get() == admitted.get());
        assertThat(mostAtOnce.get()).isBetween(1, 2);
        assertThat(admitted.get()).isPositive();
    }

    private void counted(Runnable work) {
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            work.run();
        } finally {
            running.decrementAndGet();
            ran.incrementAndGet();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
