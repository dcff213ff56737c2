package dev.allocation.spring.boot;

import dev.allocation.bootstrap.AllocationService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;
import tools.jackson.databind.json.JsonMapper;

/**
 * The book's HTTP API ({@link AllocationApiController}) in a Spring MVC application, once
 * {@code allocation.web.enabled=true}: off by default, since the routes are the application's to give.
 */
@AutoConfiguration(after = AllocationAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, JsonMapper.class})
@ConditionalOnBooleanProperty("allocation.web.enabled")
@ConditionalOnSingleCandidate(AllocationService.class)
public class AllocationWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AllocationApiController allocationApiController(AllocationService service) {
        return new AllocationApiController(service);
    }
}
