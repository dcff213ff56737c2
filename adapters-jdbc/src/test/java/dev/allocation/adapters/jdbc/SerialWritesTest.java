package dev.allocation.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** On an H2 file the writes of two transactions never interleave; elsewhere they run freely. */
class SerialWritesTest {

    @Test
    void the_writes_of_two_transactions_on_an_h2_file_run_one_after_the_other() throws Exception {
        assertThat(overlap(SerialWrites.of(Dialect.H2, "jdbc:h2:file:./data/allocation"))).isFalse();
    }

    @Test
    void writes_on_postgresql_and_on_h2_in_memory_run_at_once() throws Exception {
        assertThat(overlap(SerialWrites.of(Dialect.POSTGRESQL, "jdbc:postgresql://localhost/a"))).isTrue();
        assertThat(overlap(SerialWrites.of(Dialect.H2, "jdbc:h2:mem:a"))).isTrue();
    }

    /** Whether a second writer got in while the first was still writing. */
    private static boolean overlap(SerialWrites writes) throws Exception {
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch secondIn = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> writes.run(() -> {
            firstWriting.countDown();
            try {
                overlapped.set(secondIn.await(300, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        firstWriting.await(5, TimeUnit.SECONDS);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> writes.run(() -> {
            secondIn.countDown();
        }));
        CompletableFuture.allOf(first, second).get(5, TimeUnit.SECONDS);
        return overlapped.get();
    }
}
