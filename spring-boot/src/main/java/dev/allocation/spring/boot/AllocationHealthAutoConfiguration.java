package dev.allocation.spring.boot;

import dev.allocation.bootstrap.AllocationService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The health contributor named {@code allocation} ({@link AllocationHealthIndicator}), where the
 * application has Boot's health support, with each broker configured (Redis, Kafka) as a detail;
 * {@code management.health.allocation.enabled=false} turns it off.
 */
@AutoConfiguration(after = AllocationAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnSingleCandidate(AllocationService.class)
@ConditionalOnEnabledHealthIndicator("allocation")
public class AllocationHealthAutoConfiguration {

    /** The bean's name gives the component's: {@code allocation}. */
    @Bean
    @ConditionalOnMissingBean(name = "allocationHealthIndicator")
    AllocationHealthIndicator allocationHealthIndicator(AllocationService service, ObjectProvider<Broker> brokers) {
        return new AllocationHealthIndicator(service, brokers.orderedStream().toList());
    }
}
