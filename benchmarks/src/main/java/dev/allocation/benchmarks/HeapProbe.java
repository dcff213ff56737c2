package dev.allocation.benchmarks;

import dev.allocation.application.AllocationView;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child JVM of scenario 7, started with a small heap ({@code -Xmx256m}) on a PostgreSQL database
 * that already holds a million allocations in one sku (batch {@code heap-full}) beside an empty batch
 * ({@code heap-free}). It allocates new lines, reads old and new ones, then shrinks the full batch by
 * one line, and prints what happened, one {@code HEAP key=value ...} line per step.
 */
public final class HeapProbe {

    private HeapProbe() {
    }

    /**
     * Arguments: url, user, password (may be empty), lines held, new allocations, reads.
     *
     * @param args see above
     */
    public static void main(String[] args) {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        int held = Integer.parseInt(args[3]);
        int allocations = Integer.parseInt(args[4]);
        int reads = Integer.parseInt(args[5]);
        watchCollections();
        long started = System.nanoTime();
        try (AllocationService service = Bootstrap.builder().jdbc(url, user, password)
                .notifications((destination, message) -> { })
                .eventPublisher(event -> { })
                .build()) {
            for (int i = 0; i < allocations; i++) {
                service.handle(new Allocate("heap-new-" + i, "HEAP", 1));
            }
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < reads; i++) {
                String old = "heap-full-o" + (1 + random.nextInt(held));
                expect(service.allocations(old), "heap-full", old);
                String fresh = "heap-new-" + random.nextInt(allocations);
                expect(service.allocations(fresh), "heap-free", fresh);
            }
            report("allocate", "ok", started);
            long shrinkStarted = System.nanoTime();
            try {
                service.handle(new ChangeBatchQuantity("heap-full", held - 1));
                expect(service.allocations("heap-full-o" + held), "heap-free", "heap-full-o" + held);
                report("shrink", "ok", shrinkStarted);
            } catch (OutOfMemoryError e) {
                report("shrink", "OutOfMemoryError", shrinkStarted);
            }
        } catch (OutOfMemoryError e) {
            report("allocate", "OutOfMemoryError", started);
        } catch (RuntimeException e) {
            System.out.println("HEAP step=allocate status=failed error=" + e.toString().replace(' ', '_'));
        }
    }

    private static void expect(List<AllocationView> views, String batch, String orderId) {
        if (views.size() != 1 || !views.get(0).batchRef().equals(batch)) {
            throw new IllegalStateException("Order " + orderId + " should be in " + batch + ", is in " + views);
        }
    }

    private static volatile long peak;
    private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
            .map(java.lang.management.MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * Watches every garbage collection and keeps the most heap still in use right after one: the
     * largest live set (plus what the collector left), the number that must fit in the heap.
     */
    private static void watchCollections() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                            (CompositeData) notification.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(pool -> HEAP_POOLS.contains(pool.getKey()))
                            .mapToLong(pool -> pool.getValue().getUsed()).sum();
                    synchronized (HeapProbe.class) {
                        peak = Math.max(peak, used);
                    }
                }, null, null);
            }
        }
    }

    private static void report(String step, String status, long since) {
        long peakOfStep = peak;
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long max = Runtime.getRuntime().maxMemory();
        System.out.printf(java.util.Locale.ROOT, "HEAP step=%s status=%s millis=%d usedAfterGcMb=%.1f peakMb=%.1f maxMb=%.1f%n", step, status,
                (System.nanoTime() - since) / 1_000_000, used / 1048576.0, peakOfStep / 1048576.0, max / 1048576.0);
        System.out.flush();
        synchronized (HeapProbe.class) {
            peak = 0;
        }
    }
}
