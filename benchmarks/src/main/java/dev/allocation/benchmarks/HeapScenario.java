package dev.allocation.benchmarks;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.application.AllocationView;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.*;
import java.util.*;

/**
 * Scenario 6: a service holding a million allocations in one sku in PostgreSQL (seeded with SQL, the
 * worst case for a store that would load a sku's lines), run by {@link #main} in a JVM of its own with a
 * 256 MB heap: it allocates new lines, reads old and new ones, then shrinks the full batch by one line,
 * reporting each step ({@link ChildJvm#report}).
 */
public final class HeapScenario {

    private HeapScenario() {
    }

    /** What the child reported. */
    static ChildJvm.Output run(Fixture fixture, Settings settings) throws Exception {
        fixture.service(Locking.OPTIMISTIC).close();   // brings the schema up
        int held = settings.heapAllocations();
        Seeder.product(fixture, null, "HEAP", new Seeder.SeedBatch("heap-full", held, held),
                new Seeder.SeedBatch("heap-free", held, 0));
        return ChildJvm.run(HeapScenario.class, fixture, held, settings.heapNewAllocations(), settings.heapReads());
    }

    /** The child: arguments url, user, password (may be empty), lines held, new allocations, reads. */
    public static void main(String[] args) {
        int held = Integer.parseInt(args[3]);
        int allocations = Integer.parseInt(args[4]);
        long started = System.nanoTime();
        try (AllocationService service = Fixture.quietBuilder().jdbc(args[0], args[1], args[2]).build()) {
            for (int i = 0; i < allocations; i++) {
                service.handle(new Allocate("heap-new-" + i, "HEAP", 1));
            }
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < Integer.parseInt(args[5]); i++) {
                expect(service, "heap-full-o" + (1 + random.nextInt(held)), "heap-full");
                expect(service, "heap-new-" + random.nextInt(allocations), "heap-free");
            }
            ChildJvm.report("allocate", "ok", started);
            started = System.nanoTime();
            service.handle(new ChangeBatchQuantity("heap-full", held - 1));
            expect(service, "heap-full-o" + held, "heap-free");
            ChildJvm.report("shrink", "ok", started);
        } catch (OutOfMemoryError e) {
            ChildJvm.report("failed", "OutOfMemoryError", started);
        } catch (RuntimeException e) {
            ChildJvm.report("failed", e.getClass().getSimpleName(), started);
            e.printStackTrace();
        }
    }

    private static void expect(AllocationService service, String orderId, String batch) {
        List<AllocationView> views = service.allocations(orderId);
        if (views.size() != 1 || !views.get(0).batchRef().equals(batch)) {
            throw new IllegalStateException("Order " + orderId + " should be in " + batch + ", is in " + views);
        }
    }
}
