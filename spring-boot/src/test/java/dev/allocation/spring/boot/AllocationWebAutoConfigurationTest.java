package dev.allocation.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.DispatcherServlet;

/** The book's HTTP API: off by default, on in a Spring MVC application that asks for it, and only there. */
class AllocationWebAutoConfigurationTest {

    private static final AutoConfigurations ALLOCATION = AutoConfigurations.of(AllocationAutoConfiguration.class,
            AllocationWebAutoConfiguration.class);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(ALLOCATION).withPropertyValues("allocation.storage=memory");

    @Test
    void off_by_default() {
        web.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationApiController.class));
    }

    @Test
    void on_in_a_spring_mvc_application_that_enables_it() {
        web.withPropertyValues("allocation.web.enabled=true").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(AllocationApiController.class));
    }

    @Test
    void never_without_spring_mvc_a_servlet_application_or_the_service() {
        web.withPropertyValues("allocation.web.enabled=true")
                .withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationApiController.class));
        new ApplicationContextRunner().withConfiguration(ALLOCATION)
                .withPropertyValues("allocation.storage=memory", "allocation.web.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationApiController.class));
        web.withPropertyValues("allocation.web.enabled=true", "allocation.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationApiController.class));
    }
}
