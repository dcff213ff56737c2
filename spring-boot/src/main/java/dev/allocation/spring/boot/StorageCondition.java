package dev.allocation.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Conditions on {@code allocation.storage}. */
final class StorageCondition {

    private StorageCondition() {
    }

    /** {@code allocation.storage} is auto (the default) or jdbc: a DataSource is wanted. */
    static final class NotMemory extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String storage = context.getEnvironment().getProperty("allocation.storage", "auto");
            return "memory".equalsIgnoreCase(storage.trim())
                    ? ConditionOutcome.noMatch("allocation.storage is memory")
                    : ConditionOutcome.match("allocation.storage is " + storage);
        }
    }
}
