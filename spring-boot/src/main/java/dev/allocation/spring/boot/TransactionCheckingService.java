package dev.allocation.spring.boot;

import dev.allocation.application.AllocationView;
import dev.allocation.application.outbox.OutboxOperations;
import dev.allocation.application.port.ExclusiveJobs;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.Message;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service as the application's beans see it: the same service, except that {@code handle} called
 * inside an application transaction is pointed out (warned once, then logged at debug) or refused,
 * since the command commits in a transaction of its own, not the caller's.
 */
final class TransactionCheckingService implements AllocationService {

    private static final Logger log = LoggerFactory.getLogger(TransactionCheckingService.class);

    static final String EXPLANATION = "AllocationService.handle was called inside an application transaction: "
            + "the command runs and commits in a transaction of its own (so that its conflict retries work and a "
            + "returned command is durable), whatever the caller's transaction does later. To act on your change "
            + "and the allocation together, handle the command after your commit "
            + "(@TransactionalEventListener(phase = AFTER_COMMIT)); see the allocation-spring-boot README";

    private final AllocationService service;
    private final BooleanSupplier inTransaction;
    private final boolean fail;
    private final AtomicBoolean warned = new AtomicBoolean();

    TransactionCheckingService(AllocationService service, BooleanSupplier inTransaction, boolean fail) {
        this.service = service;
        this.inTransaction = inTransaction;
        this.fail = fail;
    }

    @Override
    public void handle(Message message) {
        if (inTransaction.getAsBoolean()) {
            if (fail) {
                throw new IllegalStateException(EXPLANATION + " (allocation.transaction-participation=fail)");
            }
            if (warned.compareAndSet(false, true)) {
                log.warn("{} (logged once; allocation.transaction-participation=fail refuses such calls)",
                        EXPLANATION);
            } else {
                log.debug("handle({}) inside an application transaction", message);
            }
        }
        service.handle(message);
    }

    @Override
    public List<AllocationView> allocations(String orderId) {
        return service.allocations(orderId);
    }

    @Override
    public boolean isHealthy() {
        return service.isHealthy();
    }

    @Override
    public AutoCloseable runExclusively(String name, ExclusiveJobs.Job job) {
        return service.runExclusively(name, job);
    }

    @Override
    public OutboxOperations outbox() {
        return service.outbox();
    }

    @Override
    public void startRelay() {
        service.startRelay();
    }

    @Override
    public void stopRelay() {
        service.stopRelay();
    }

    @Override
    public boolean isRelayRunning() {
        return service.isRelayRunning();
    }

    @Override
    public void close() {
        service.close();
    }

    @Override
    public String toString() {
        return service.toString();
    }
}
