package dev.allocation.spring.boot;

import java.util.function.BooleanSupplier;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/** Whether the calling thread is inside a Spring-managed transaction; never, without spring-tx. */
final class SpringTransactions {

    private static final String MANAGER = "org.springframework.transaction.support.TransactionSynchronizationManager";

    private SpringTransactions() {
    }

    static BooleanSupplier active(ClassLoader classLoader) {
        return ClassUtils.isPresent(MANAGER, classLoader) ? Active.CHECK : () -> false;
    }

    /** Loaded only where spring-tx is. */
    private static final class Active {
        static final BooleanSupplier CHECK = TransactionSynchronizationManager::isActualTransactionActive;
    }
}
