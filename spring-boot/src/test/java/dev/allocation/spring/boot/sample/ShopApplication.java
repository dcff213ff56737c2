package dev.allocation.spring.boot.sample;

import dev.allocation.application.MessageBusListener;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.events.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A shop as a team would write it: Spring Boot with its own DataSource, its own Flyway migrations
 * ({@code db/migration/V1__shop_orders.sql}), Actuator, and the allocation starter, no property of ours
 * set. It publishes the integration events to a list (its broker), and its listener makes the Allocates
 * of orders named {@code slow-...} take a while, so that a test can stop it with commands in flight.
 */
@SpringBootApplication
public class ShopApplication {

    /** How long an Allocate of a {@code slow-...} order takes, once handled, before it returns. */
    static final Duration SLOW = Duration.ofMillis(800);

    @Bean
    Broker broker() {
        return new Broker();
    }

    @Bean
    EventPublisher eventPublisher(Broker broker) {
        return broker.published::add;
    }

    @Bean
    SlowOrders slowOrders() {
        return new SlowOrders();
    }

    /** The events the relay handed over. */
    public static final class Broker {
        final List<Event> published = new CopyOnWriteArrayList<>();
    }

    /** Holds the handling of slow orders after their commit, counting those in flight. */
    public static final class SlowOrders implements MessageBusListener {
        final AtomicInteger inFlight = new AtomicInteger();

        @Override
        public void handled(Message message, Outcome outcome, Duration duration) {
            if (message instanceof Allocate allocate && allocate.orderId().startsWith("slow-")) {
                inFlight.incrementAndGet();
                try {
                    Thread.sleep(SLOW.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
