package dev.allocation.adapters.memory;

import dev.allocation.application.port.Notifications;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** Notifications that are only recorded, for tests to read back with {@link #sentTo}. Thread-safe. */
public final class InMemoryNotifications implements Notifications {

    private record Sent(String destination, String message) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(String destination, String message) {
        sent.add(new Sent(Objects.requireNonNull(destination, "destination must not be null"),
                Objects.requireNonNull(message, "message must not be null")));
    }

    /** The messages sent to one destination so far, oldest first. */
    public List<String> sentTo(String destination) {
        return sent.stream().filter(s -> s.destination().equals(destination)).map(Sent::message).toList();
    }
}
