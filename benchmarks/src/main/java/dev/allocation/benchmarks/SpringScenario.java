package dev.allocation.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.spring.boot.AllocationAutoConfiguration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.*;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Scenario 8, PostgreSQL, one thread: Allocates through the {@code AllocationService} bean of a Spring
 * application context built with the starter's auto-configuration, beside the same service built by hand
 * with {@code Bootstrap}. Each is on a HikariCP pool of its own, configured alike, in a schema of its own;
 * both relays run. The two alternate (A B, B A, ...) in four times the usual rounds.
 */
final class SpringScenario {

    /** What the starter's bean and the service built by hand measured. */
    record Result(LoadResult starter, LoadResult byHand) {
    }

    /** The application: the allocation auto-configuration alone, events and notifications as quiet as {@link Fixture#quietBuilder()}'s. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AllocationAutoConfiguration.class)
    static class Application {

        @Bean
        EventPublisher quietPublisher() {
            return event -> { };
        }

        @Bean
        Notifications quietNotifications() {
            return (destination, message) -> { };
        }
    }

    private SpringScenario() {
    }

    static Result run(Fixture fixture, Settings settings) throws Exception {
        try (HikariDataSource handPool = fixture.pool("by_hand"); HikariDataSource bootPool = fixture.pool("by_starter");
             AllocationService byHand = Fixture.quietBuilder().jdbc(handPool).build();
             ConfigurableApplicationContext context = application(bootPool)) {
            AllocationService starter = context.getBean(AllocationService.class);
            if (!starter.isRelayRunning() || !byHand.isRelayRunning()) {
                throw new IllegalStateException("Both relays must run: starter's " + starter.isRelayRunning());
            }
            List<LoadResult> results = LoadDriver.interleaved(List.of(
                    AllocateScenarios.variant(fixture, "starter's bean", starter, "by_starter", false, settings.skus(), 1),
                    AllocateScenarios.variant(fixture, "built by hand", byHand, "by_hand", false, settings.skus(), 1)),
                    settings, 4 * settings.rounds(), true, fixture::settle);
            return new Result(results.get(0), results.get(1));
        }
    }

    private static ConfigurableApplicationContext application(DataSource pool) {
        return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false).registerShutdownHook(false)
                .initializers(context -> ((GenericApplicationContext) context).registerBean(DataSource.class, () -> pool))
                .run();
    }
}
