package dev.allocation.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.allocation.adapters.memory.InMemoryEventPublisher;
import dev.allocation.adapters.memory.InMemoryNotifications;
import dev.allocation.application.AllocationView;
import dev.allocation.application.DuplicateBatch;
import dev.allocation.application.InvalidSku;
import dev.allocation.application.UnknownBatch;
import dev.allocation.application.port.Notifications;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.ChangeBatchQuantity;
import dev.allocation.domain.commands.CreateBatch;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.model.OrderLineConflict;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The service layer, through the message bus, as the book tests it; written once and run on every
 * storage by a subclass that says which ({@link #storage}): {@link InMemoryServiceLayerTest},
 * {@link H2ServiceLayerTest} and {@link PostgresServiceLayerTest}, with each locking.
 */
abstract class ServiceLayerTest {

    private static final LocalDate TODAY = LocalDate.now();

    protected InMemoryNotifications notifications;
    protected InMemoryEventPublisher published;
    protected AllocationService service;

    /** Chooses a fresh, empty storage for one test. */
    protected abstract Bootstrap.Builder storage(Bootstrap.Builder builder) throws Exception;

    @BeforeEach
    void startService() throws Exception {
        notifications = new InMemoryNotifications();
        published = new InMemoryEventPublisher();
        service = storage(Bootstrap.builder()).notifications(notifications).eventPublisher(published).build();
    }

    @AfterEach
    void stopService() throws Exception {
        service.close();
    }

    @Nested
    class AddBatch {

        @Test
        void for_a_new_product() {
            service.handle(new CreateBatch("b1", "CRUNCHY-ARMCHAIR", 100, null));
            service.handle(new Allocate("o1", "CRUNCHY-ARMCHAIR", 10));

            assertThat(service.allocations("o1")).containsExactly(new AllocationView("CRUNCHY-ARMCHAIR", "b1"));
        }

        @Test
        void for_an_existing_product() {
            service.handle(new CreateBatch("b1", "GARISH-RUG", 100, null));
            service.handle(new CreateBatch("b2", "GARISH-RUG", 99, null));
            service.handle(new ChangeBatchQuantity("b2", 10));
            service.handle(new Allocate("o1", "GARISH-RUG", 100));

            assertThat(service.allocations("o1")).containsExactly(new AllocationView("GARISH-RUG", "b1"));
        }

        @Test
        void a_batch_reference_that_exists_already_is_refused() {
            service.handle(new CreateBatch("b1", "GARISH-RUG", 100, null));

            assertThatThrownBy(() -> service.handle(new CreateBatch("b1", "GARISH-RUG", 5, null)))
                    .isInstanceOf(DuplicateBatch.class).hasMessageContaining("b1");
        }

        @Test
        void a_batch_reference_used_by_another_sku_is_refused() {
            service.handle(new CreateBatch("b1", "GARISH-RUG", 100, null));

            assertThatThrownBy(() -> service.handle(new CreateBatch("b1", "OTHER-RUG", 5, null)))
                    .isInstanceOf(DuplicateBatch.class).hasMessageContaining("b1").hasMessageNotContaining("GARISH-RUG")
                    .satisfies(refusal -> assertThat(((DuplicateBatch) refusal).existingSku()).isEqualTo("GARISH-RUG"));
        }
    }

    @Nested
    class Allocate_ {

        @Test
        void allocates_to_the_batch_and_shows_it_in_the_read_model() {
            service.handle(new CreateBatch("batch1", "COMPLICATED-LAMP", 100, null));
            service.handle(new Allocate("o1", "COMPLICATED-LAMP", 10));

            assertThat(service.allocations("o1")).containsExactly(new AllocationView("COMPLICATED-LAMP", "batch1"));
        }

        @Test
        void prefers_warehouse_stock_to_shipments() {
            service.handle(new CreateBatch("shipment", "CLOCK", 100, TODAY.plusDays(1)));
            service.handle(new CreateBatch("warehouse", "CLOCK", 100, null));
            service.handle(new Allocate("o1", "CLOCK", 10));

            assertThat(service.allocations("o1")).containsExactly(new AllocationView("CLOCK", "warehouse"));
        }

        @Test
        void errors_for_an_invalid_sku() {
            service.handle(new CreateBatch("b1", "AREALSKU", 100, null));

            assertThatThrownBy(() -> service.handle(new Allocate("o1", "NONEXISTENTSKU", 10)))
                    .isInstanceOf(InvalidSku.class).hasMessage("Invalid sku NONEXISTENTSKU");
        }

        @Test
        void sends_an_email_on_out_of_stock() {
            service.handle(new CreateBatch("b1", "POPULAR-CURTAINS", 9, null));
            service.handle(new Allocate("o1", "POPULAR-CURTAINS", 10));

            assertThat(notifications.sentTo("stock@made.com")).containsExactly("Out of stock for POPULAR-CURTAINS");
        }

        @Test
        void an_order_out_of_stock_has_no_allocation() {
            service.handle(new CreateBatch("b1", "POPULAR-CURTAINS", 9, null));
            service.handle(new Allocate("o1", "POPULAR-CURTAINS", 10));

            assertThat(service.allocations("o1")).isEmpty();
        }

        @Test
        void publishes_the_allocated_event() {
            service.handle(new CreateBatch("b1", "TABLE", 10, null));
            service.handle(new Allocate("o1", "TABLE", 2));

            await().untilAsserted(() ->
                    assertThat(published.published()).containsExactly(new Allocated("o1", "TABLE", 2, "b1")));
        }

        @Test
        void allocating_the_same_line_twice_allocates_it_once() {
            service.handle(new CreateBatch("b1", "TABLE", 10, null));
            service.handle(new Allocate("o1", "TABLE", 2));
            service.handle(new Allocate("o1", "TABLE", 2));
            service.handle(new Allocate("o2", "TABLE", 8));

            await().untilAsserted(() -> assertThat(published.published()).hasSize(2));
            assertThat(service.allocations("o2")).containsExactly(new AllocationView("TABLE", "b1"));
        }

        @Test
        void the_same_order_and_sku_with_another_quantity_is_refused() {
            service.handle(new CreateBatch("b1", "TABLE", 10, null));
            service.handle(new Allocate("o1", "TABLE", 2));

            assertThatThrownBy(() -> service.handle(new Allocate("o1", "TABLE", 3)))
                    .isInstanceOf(OrderLineConflict.class).hasMessageContaining("o1");
        }

        @Test
        void an_order_with_no_allocation_reads_as_empty() {
            assertThat(service.allocations("nobody")).isEmpty();
        }
    }

    @Nested
    class ChangeBatchQuantity_ {

        @Test
        void changes_the_available_quantity() {
            service.handle(new CreateBatch("batch1", "ADORABLE-SETTEE", 100, null));
            service.handle(new ChangeBatchQuantity("batch1", 50));
            service.handle(new Allocate("o1", "ADORABLE-SETTEE", 50));
            service.handle(new Allocate("o2", "ADORABLE-SETTEE", 1));

            assertThat(service.allocations("o1")).hasSize(1);
            assertThat(service.allocations("o2")).isEmpty();
        }

        @Test
        void reallocates_lines_the_batch_can_no_longer_hold() {
            service.handle(new CreateBatch("batch1", "INDIFFERENT-TABLE", 50, null));
            service.handle(new CreateBatch("batch2", "INDIFFERENT-TABLE", 50, TODAY));
            service.handle(new Allocate("o1", "INDIFFERENT-TABLE", 20));
            service.handle(new Allocate("o2", "INDIFFERENT-TABLE", 20));

            service.handle(new ChangeBatchQuantity("batch1", 25));

            assertThat(service.allocations("o1")).containsExactly(new AllocationView("INDIFFERENT-TABLE", "batch1"));
            assertThat(service.allocations("o2")).containsExactly(new AllocationView("INDIFFERENT-TABLE", "batch2"));
        }

        @Test
        void a_reallocated_line_is_published_again_with_its_new_batch() {
            service.handle(new CreateBatch("batch1", "INDIFFERENT-TABLE", 50, null));
            service.handle(new CreateBatch("batch2", "INDIFFERENT-TABLE", 50, TODAY));
            service.handle(new Allocate("o1", "INDIFFERENT-TABLE", 40));

            service.handle(new ChangeBatchQuantity("batch1", 25));

            await().untilAsserted(() -> assertThat(published.published())
                    .last().isEqualTo(new Allocated("o1", "INDIFFERENT-TABLE", 40, "batch2")));
        }

        @Test
        void a_line_that_finds_no_other_batch_leaves_the_read_model() {
            service.handle(new CreateBatch("batch1", "LONELY-TABLE", 50, null));
            service.handle(new Allocate("o1", "LONELY-TABLE", 40));

            service.handle(new ChangeBatchQuantity("batch1", 25));

            assertThat(service.allocations("o1")).isEmpty();
            assertThat(notifications.sentTo("stock@made.com")).containsExactly("Out of stock for LONELY-TABLE");
        }

        @Test
        void an_allocation_sent_again_after_its_line_moved_shows_only_the_batch_that_holds_it_now() {
            service.handle(new CreateBatch("batch1", "MOVED-TABLE", 50, null));
            service.handle(new CreateBatch("batch2", "MOVED-TABLE", 50, TODAY));
            service.handle(new Allocate("o1", "MOVED-TABLE", 40));
            service.handle(new ChangeBatchQuantity("batch1", 25));

            service.handle(new Allocate("o1", "MOVED-TABLE", 40));
            service.handle(new Allocate("o2", "MOVED-TABLE", 25));

            assertThat(service.allocations("o1")).containsExactly(new AllocationView("MOVED-TABLE", "batch2"));
            assertThat(service.allocations("o2")).as("batch1 holds nothing of o1").containsExactly(
                    new AllocationView("MOVED-TABLE", "batch1"));
        }

        @Test
        void an_unknown_batch_reference_is_refused_naming_it() {
            assertThatThrownBy(() -> service.handle(new ChangeBatchQuantity("no-such-batch", 5)))
                    .isInstanceOf(UnknownBatch.class).hasMessageContaining("no-such-batch");
        }
    }

    @Test
    void a_failing_notification_never_fails_the_command_that_raised_it() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Notifications broken = (destination, message) -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("mail server down");
        };
        service.close();
        service = storage(Bootstrap.builder()).notifications(broken).eventPublisher(published).build();
        service.handle(new CreateBatch("b1", "SOLD-OUT", 1, null));

        service.handle(new Allocate("o1", "SOLD-OUT", 5));

        assertThat(attempts).hasValue(dev.allocation.application.Retry.DEFAULT.eventAttempts());
    }

    @Test
    void many_threads_on_one_sku_use_all_the_stock_never_more_and_every_other_order_is_out_of_stock() throws Exception {
        service.handle(new CreateBatch("warehouse", "HOT-SKU", 150, null));
        service.handle(new CreateBatch("shipment", "HOT-SKU", 50, TODAY.plusDays(3)));
        int threads = 8;
        int ordersPerThread = 30;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < ordersPerThread; i++) {
                    service.handle(new Allocate("order-" + thread + "-" + i, "HOT-SKU", 1));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> result : results) {
            result.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Map<String, AtomicInteger> perBatch = new ConcurrentHashMap<>();
        int allocated = 0;
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < ordersPerThread; i++) {
                List<AllocationView> views = service.allocations("order-" + t + "-" + i);
                assertThat(views).hasSizeLessThanOrEqualTo(1);
                for (AllocationView view : views) {
                    perBatch.computeIfAbsent(view.batchRef(), ref -> new AtomicInteger()).incrementAndGet();
                    allocated++;
                }
            }
        }
        int outOfStock = threads * ordersPerThread - 200;
        assertThat(allocated).isEqualTo(200);
        assertThat(perBatch.get("warehouse")).hasValue(150);
        assertThat(perBatch.get("shipment")).hasValue(50);
        await().untilAsserted(() -> assertThat(published.published()).hasSize(200));
        assertThat(notifications.sentTo("stock@made.com")).hasSize(outOfStock);
    }

    @Test
    void allocations_each_sent_twice_while_a_batch_shrinks_to_nothing_leave_the_read_model_agreeing_with_the_store()
            throws Exception {
        int threads = 4;
        int ordersPerThread = 10;
        service.handle(new CreateBatch("warehouse", "BUSY-SKU", 20, null));
        service.handle(new CreateBatch("shipment", "BUSY-SKU", threads * ordersPerThread, TODAY.plusDays(3)));
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < ordersPerThread; i++) {
                    service.handle(new Allocate("busy-" + thread + "-" + i, "BUSY-SKU", 1));
                    service.handle(new Allocate("busy-" + thread + "-" + i, "BUSY-SKU", 1));
                }
                return null;
            }));
        }
        results.add(pool.submit(() -> {
            start.await();
            for (int qty = 15; qty >= 0; qty -= 5) {
                service.handle(new ChangeBatchQuantity("warehouse", qty));
            }
            return null;
        }));
        start.countDown();
        for (Future<?> result : results) {
            result.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // the warehouse holds nothing now, and the shipment exactly one line of each order
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < ordersPerThread; i++) {
                assertThat(service.allocations("busy-" + t + "-" + i)).as("busy-" + t + "-" + i)
                        .containsExactly(new AllocationView("BUSY-SKU", "shipment"));
            }
        }
        service.handle(new Allocate("one-too-many", "BUSY-SKU", 1));
        assertThat(service.allocations("one-too-many")).as("the shipment is full").isEmpty();
    }

    @Test
    void a_closed_service_refuses_commands() {
        service.close();

        assertThatThrownBy(() -> service.handle(new CreateBatch("b1", "LAMP", 1, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void a_blank_order_id_is_refused_when_reading_allocations() {
        assertThatThrownBy(() -> service.allocations(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orderId");
    }
}
