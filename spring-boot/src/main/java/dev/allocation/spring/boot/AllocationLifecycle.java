package dev.allocation.spring.boot;

import dev.allocation.bootstrap.AllocationService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the service's outbox relay in the application's lifecycle: started before the web server takes
 * requests, stopped after the web server (and its graceful shutdown) stopped, so that the events of the
 * last requests are still handed to the publisher; the service itself closes after that, with its bean.
 * What the relay has not published by then stays in the outbox for the next start or another instance.
 *
 * <p>Phases, as Boot orders them on shutdown (highest first): inbound consumers
 * ({@link #CONSUMERS_PHASE}), the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}), the web
 * server ({@code DEFAULT_PHASE - 2048}), this relay ({@link #RELAY_PHASE}).
 */
public class AllocationLifecycle implements SmartLifecycle {

    /** Stops after the web server and its graceful shutdown, starts before them. */
    public static final int RELAY_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** Inbound consumers: start once the web server is up, stop before its graceful shutdown begins. */
    public static final int CONSUMERS_PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final ObjectProvider<AllocationService> service;
    private final boolean relayEnabled;
    private volatile boolean running;

    AllocationLifecycle(ObjectProvider<AllocationService> service, boolean relayEnabled) {
        this.service = service;
        this.relayEnabled = relayEnabled;
    }

    @Override
    public void start() {
        if (relayEnabled) {
            service.ifAvailable(AllocationLifecycle::startRelay);
        }
        running = true;
    }

    private static void startRelay(AllocationService service) {
        try {
            service.startRelay();
        } catch (UnsupportedOperationException e) {
            // an application's own service that relays no outbox
        }
    }

    @Override
    public void stop() {
        try {
            service.ifAvailable(AllocationService::stopRelay);
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return RELAY_PHASE;
    }
}
