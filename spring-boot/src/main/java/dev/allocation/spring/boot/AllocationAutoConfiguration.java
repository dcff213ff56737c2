package dev.allocation.spring.boot;

import dev.allocation.application.MessageBusListener;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.application.port.Notifications;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.bootstrap.Bootstrap;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * An {@link AllocationService} bean built through {@link Bootstrap}: on the application's own
 * {@code DataSource} (after the application's database initialisation, its Flyway first), or in memory
 * with a warning when it has none; with the application's {@link EventPublisher}, {@link Notifications}
 * and {@link MessageBusListener} beans when it defines them (without an {@code EventPublisher}, the events
 * go to the brokers configured: Redis, Kafka, or both at once), the {@code allocation.*} properties, and
 * every {@link AllocationBuilderCustomizer}. Backs off when the application defines its own service.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "allocation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AllocationProperties.class)
@Import({AllocationServiceConfigurations.OnDataSource.class, AllocationServiceConfigurations.WithoutDataSource.class})
public class AllocationAutoConfiguration {

    /** Keeps the relay stopped until {@link AllocationLifecycle} starts it. */
    static AllocationService build(Consumer<Bootstrap.Builder> storage, AllocationProperties properties,
                                           ObjectProvider<EventPublisher> publisher,
                                           ObjectProvider<Notifications> notifications,
                                           ObjectProvider<MessageBusListener> listeners,
                                           ObjectProvider<Broker> brokers,
                                           ObjectProvider<AllocationBuilderCustomizer> customizers) {
        Bootstrap.Builder builder = Bootstrap.builder()
                .locking(properties.getLocking())
                .outOfStockRecipient(properties.getOutOfStockRecipient())
                .retry(properties.getRetries().toRetry())
                .outboxRelay(properties.getRelay().toSettings())
                .listener(Listeners.of(listeners.orderedStream().toList()));
        storage.accept(builder);
        EventPublisher own = publisher.getIfAvailable();
        List<Broker> connected = brokers.orderedStream().toList();
        if (own != null) {
            builder.eventPublisher(own);
        } else if (!connected.isEmpty()) {
            builder.eventPublisher(Broker.publisherOf(connected));
        }
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
