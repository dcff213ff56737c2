package dev.allocation.service;

import dev.allocation.bootstrap.Bootstrap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable allocation service: {@code java -jar allocation-service.jar [options]} ({@code --help}
 * lists them). Listens until SIGTERM or Ctrl-C, then stops accepting requests, lets those in flight
 * finish and closes the database. Exits with the codes {@link ServiceCommandLine#USAGE} documents: an orderly
 * stop that closed everything exits 0, not the JVM's 143 (SIGTERM) or 130 (SIGINT), since it is what the
 * operator asked for and what supervisors such as systemd count as a success.
 */
public final class AllocationServer {

    private AllocationServer() {
    }

    /** Starts the service, or prints the usage or the version. */
    public static void main(String[] args) {
        Optional<ServiceConfig> parsed;
        try {
            parsed = ServiceCommandLine.parse(args, System.getenv(), System.out);
        } catch (ServiceConfig.UsageError e) {
            System.err.println(e.getMessage());
            System.err.println();
            System.err.print(ServiceCommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (parsed.isEmpty()) {
            return;   // --help or --version, answered
        }
        ServiceConfig config = parsed.get();
        // read by logback when the first logger is made, below: a flag wins over the variable
        System.setProperty("ALLOCATION_LOG_LEVEL", config.operations().logLevel());
        if (config.operations().logFormat().equals("json") && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        Logger log = LoggerFactory.getLogger(AllocationServer.class);
        List<String> open = config.unauthenticatedListeners();
        if (!open.isEmpty()) {
            log.warn("{} can be reached from other machines without a token (--allow-unauthenticated): anyone"
                    + " who reaches it can use it; give --api-token (ALLOCATION_API_TOKEN) unless something in"
                    + " front authenticates", String.join(" and ", open));
        }
        RunningService running;
        try {
            running = RunningService.start(config, Bootstrap.builder());
        } catch (RuntimeException e) {
            Optional<StartFailure> known = StartFailure.of(e, config);
            if (known.isPresent()) {
                log.error("The allocation service could not start: {}", known.get().line());
                System.exit(known.get().exitCode());
            } else {
                log.error("The allocation service could not start: {}", e.getMessage(), e);
                System.exit(StartFailure.UNEXPECTED);
            }
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            // halt, not exit: exit would wait for this very hook. Nothing else of ours is left to run
            Runtime.getRuntime().halt(running.stoppedCleanly() ? 0 : StartFailure.UNEXPECTED);
        }, "allocation-shutdown"));
        log.info(running.description());
    }

    /** The version of this build, as Maven filled it in. */
    static String version() {
        try (InputStream in = AllocationServer.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
