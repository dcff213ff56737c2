package dev.allocation.adapters.jdbc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips inherited contract tests by name, with a reason shown in the report: for the few contract
 * tests whose scenario a storage cannot play by design (not to hide failures).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(SkipContractTests.Condition.class)
@interface SkipContractTests {

    /** Names of the test methods to skip. */
    String[] value();

    /** Why they cannot run on this storage. */
    String because();

    /** Reads {@link SkipContractTests} from the test class. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            SkipContractTests skip = context.getRequiredTestClass().getAnnotation(SkipContractTests.class);
            if (skip == null || context.getTestMethod().isEmpty()
                    || !List.of(skip.value()).contains(context.getTestMethod().get().getName())) {
                return ConditionEvaluationResult.enabled("runs on this storage");
            }
            return ConditionEvaluationResult.disabled(skip.because());
        }
    }
}
