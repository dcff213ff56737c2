package dev.allocation.bootstrap;

import dev.allocation.application.LogText;
import dev.allocation.application.port.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default notifications: written to the log, for when no mail system is wired. */
final class LoggingNotifications implements Notifications {

    private static final Logger log = LoggerFactory.getLogger(LoggingNotifications.class);

    @Override
    public void send(String destination, String message) {
        log.info("Notification to {}: {}", LogText.escape(destination), LogText.escape(message));
    }
}
