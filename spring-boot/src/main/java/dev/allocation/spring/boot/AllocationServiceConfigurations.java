package dev.allocation.spring.boot;

import dev.allocation.application.MessageBusListener;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The two ways to the service, imported in this order by {@link AllocationAutoConfiguration}: on the
 * application's DataSource when there is one (and storage is not memory), else in memory. Outside the
 * auto-configuration, so that Spring processes them in the order imported, not as member classes.
 */
final class AllocationServiceConfigurations {

    private static final Logger log = LoggerFactory.getLogger(AllocationServiceConfigurations.class);

    private AllocationServiceConfigurations() {
    }

    /** The service on the application's DataSource: its pool, never closed by the service. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnSingleCandidate(DataSource.class)
    @Conditional(StorageCondition.NotMemory.class)
    static class OnDataSource {

        @Bean
        @ConditionalOnMissingBean(AllocationService.class)
        @DependsOnDatabaseInitialization
        AllocationService allocationService(DataSource dataSource, AllocationProperties properties,
                                            ObjectProvider<EventPublisher> publisher,
                                            ObjectProvider<Notifications> notifications,
                                            ObjectProvider<MessageBusListener> listeners,
                                            ObjectProvider<Broker> brokers,
                                            ObjectProvider<AllocationBuilderCustomizer> customizers) {
            return AllocationAutoConfiguration.build(builder -> builder.jdbc(dataSource).migrate(properties.isMigrate()), properties,
                    publisher, notifications, listeners, brokers, customizers);
        }
    }

    /** The service in memory: asked for, or (with a warning) for want of a DataSource. */
    @Configuration(proxyBeanMethods = false)
    static class WithoutDataSource {

        @Bean
        @ConditionalOnMissingBean(AllocationService.class)
        AllocationService allocationService(AllocationProperties properties,
                                            ObjectProvider<DataSource> dataSources,
                                            ObjectProvider<EventPublisher> publisher,
                                            ObjectProvider<Notifications> notifications,
                                            ObjectProvider<MessageBusListener> listeners,
                                            ObjectProvider<Broker> brokers,
                                            ObjectProvider<AllocationBuilderCustomizer> customizers) {
            switch (properties.getStorage()) {
                case JDBC -> throw new IllegalStateException("allocation.storage=jdbc needs exactly one DataSource "
                        + "bean; found " + dataSources.stream().count()
                        + ". Add spring-boot-starter-jdbc and spring.datasource.*, or set allocation.storage=memory");
                case AUTO -> log.warn("No single DataSource in this application: the allocation service keeps its data in "
                        + "memory, lost when the application stops (set allocation.storage=memory to say that is "
                        + "intended, or give the application a DataSource)");
                case MEMORY -> log.info("The allocation service keeps its data in memory (allocation.storage=memory)");
            }
            return AllocationAutoConfiguration.build(Bootstrap.Builder::inMemory, properties, publisher, notifications, listeners, brokers, customizers);
        }
    }

}
