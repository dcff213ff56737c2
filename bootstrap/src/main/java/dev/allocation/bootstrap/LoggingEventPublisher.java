package dev.allocation.bootstrap;

import dev.allocation.application.LogText;
import dev.allocation.application.port.EventPublisher;
import dev.allocation.domain.events.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default publisher: events for other systems are written to the log. */
final class LoggingEventPublisher implements EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(LoggingEventPublisher.class);

    @Override
    public void publish(Event event) {
        log.info("Published {}", LogText.escape(event.toString()));
    }
}
