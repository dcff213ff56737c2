package dev.allocation.spring.boot;

import dev.allocation.bootstrap.AllocationService;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/** The {@code allocationoutbox} actuator endpoint ({@link AllocationOutboxEndpoint}), where the application has Actuator. */
@AutoConfiguration(after = AllocationAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnSingleCandidate(AllocationService.class)
public class AllocationOutboxEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    AllocationOutboxEndpoint allocationOutboxEndpoint(AllocationService service) {
        return new AllocationOutboxEndpoint(service);
    }
}
