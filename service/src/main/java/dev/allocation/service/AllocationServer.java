package dev.allocation.service;

import dev.allocation.bootstrap.Bootstrap;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable allocation service: {@code java -jar allocation-service.jar [options]} ({@code --help}
 * lists them). Listens until SIGTERM or Ctrl-C, then stops accepting requests, lets those in flight
 * finish and closes the database.
 */
public final class AllocationServer {

    private static final Logger log = LoggerFactory.getLogger(AllocationServer.class);

    private AllocationServer() {
    }

    /** Starts the service; exits with 2 on a bad option, 1 when it cannot start. */
    public static void main(String[] args) {
        Optional<ServiceConfig> config;
        try {
            config = ServiceConfig.parse(args, System.getenv());
        } catch (ServiceConfig.UsageError e) {
            System.err.println(e.getMessage());
            System.err.println();
            System.err.print(ServiceConfig.USAGE);
            System.exit(2);
            return;
        }
        if (config.isEmpty()) {
            System.out.print(ServiceConfig.USAGE);
            return;
        }
        RunningService running;
        try {
            running = RunningService.start(config.get(), Bootstrap.builder());
        } catch (RuntimeException e) {
            log.error("The allocation service could not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "allocation-shutdown"));
        log.info(running.description());
    }
}
