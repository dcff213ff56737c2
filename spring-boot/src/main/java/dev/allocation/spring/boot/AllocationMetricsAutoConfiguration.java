package dev.allocation.spring.boot;

import dev.allocation.adapters.micrometer.AllocationMeters;
import dev.allocation.bootstrap.AllocationService;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The meters of {@code allocation-micrometer} ({@code allocation.messages} and the others) on the
 * application's {@link MeterRegistry}: the bus's through {@link AllocationMetrics} (a
 * {@code MessageBusListener} bean over {@link AllocationMeters}), the outbox's gauges once the service exists. The application's pool
 * is not bound again: Boot binds it already ({@code hikaricp.connections...}).
 */
@AutoConfiguration(before = AllocationAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, AllocationMeters.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "allocation.enabled", matchIfMissing = true)
public class AllocationMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AllocationMetrics allocationMetrics(MeterRegistry registry) {
        return new AllocationMetrics(registry);
    }

    /** The outbox's gauges, on the service's outbox, once every singleton (the service) exists. */
    @Bean
    SmartInitializingSingleton allocationOutboxMeters(AllocationMetrics meters,
                                                      ObjectProvider<AllocationService> service) {
        return () -> service.ifAvailable(allocation -> {
            try {
                meters.outbox(allocation.outbox());
            } catch (UnsupportedOperationException e) {
                // an application's own service that relays no outbox
            }
        });
    }
}
