package dev.allocation.spring.boot;

import dev.allocation.application.MessageBusListener;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * An {@link AllocationService} bean built through {@link Bootstrap}: on the application's own
 * {@code DataSource} (after the application's database initialisation, its Flyway first), or in memory
 * with a warning when it has none; with the application's {@link EventPublisher}, {@link Notifications}
 * and {@link MessageBusListener} beans when it defines them, the {@code allocation.*} properties, and
 * every {@link AllocationBuilderCustomizer}. Backs off when the application defines its own service.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "allocation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AllocationProperties.class)
@Import({AllocationAutoConfiguration.OnDataSource.class, AllocationAutoConfiguration.WithoutDataSource.class})
public class AllocationAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AllocationAutoConfiguration.class);

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
                                            ObjectProvider<AllocationBuilderCustomizer> customizers) {
            return build(builder -> builder.jdbc(dataSource).migrate(properties.isMigrate()), properties,
                    publisher, notifications, listeners, customizers);
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
            return build(Bootstrap.Builder::inMemory, properties, publisher, notifications, listeners, customizers);
        }
    }

    /** Keeps the relay stopped until {@link AllocationLifecycle} starts it. */
    private static AllocationService build(Consumer<Bootstrap.Builder> storage, AllocationProperties properties,
                                           ObjectProvider<EventPublisher> publisher,
                                           ObjectProvider<Notifications> notifications,
                                           ObjectProvider<MessageBusListener> listeners,
                                           ObjectProvider<AllocationBuilderCustomizer> customizers) {
        Bootstrap.Builder builder = Bootstrap.builder()
                .locking(properties.getLocking())
                .outOfStockRecipient(properties.getOutOfStockRecipient())
                .retry(properties.getRetries().toRetry())
                .outboxRelay(properties.getRelay().toSettings())
                .listener(Listeners.of(listeners.orderedStream().toList()));
        storage.accept(builder);
        publisher.ifAvailable(builder::eventPublisher);
        notifications.ifAvailable(builder::notifications);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        AllocationService service = builder.deferRelay().build();
        return new TransactionCheckingService(service,
                SpringTransactions.active(AllocationAutoConfiguration.class.getClassLoader()),
                properties.getTransactionParticipation() == AllocationProperties.TransactionParticipation.FAIL);
    }

    /**
     * Starts the outbox relay of the service (the application's own included) once the context is
     * refreshed, and stops it after the web server, before the service closes.
     */
    @Bean
    @ConditionalOnMissingBean
    AllocationLifecycle allocationLifecycle(ObjectProvider<AllocationService> service, AllocationProperties properties) {
        return new AllocationLifecycle(service, properties.getRelay().isEnabled());
    }
}
