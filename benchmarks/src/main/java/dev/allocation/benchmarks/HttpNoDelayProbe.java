package dev.allocation.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The child JVM of the HTTP what-if: scenario 5 on the memory store, in a JVM whose flags the parent
 * chooses (the JDK's HTTP server reads {@code sun.net.httpserver.nodelay} once per JVM). Prints one
 * {@code HTTP key=value ...} line.
 */
public final class HttpNoDelayProbe {

    private HttpNoDelayProbe() {
    }

    /**
     * Arguments: the suite's mode.
     *
     * @param args see above
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.of(args[0]);
        Path work = Files.createTempDirectory("http-probe");
        try (Fixture fixture = Fixture.open(Store.MEMORY, work, "unused")) {
            HttpScenario.Row row = HttpScenario.run(fixture, settings);
            System.out.printf(Locale.ROOT, "HTTP nodelay=%s requests=%.1f allocateP50=%.1f allocateP99=%.1f"
                            + " readP50=%.1f readP99=%.1f%n", System.getProperty("sun.net.httpserver.nodelay", "false"),
                    row.requestsPerSecond(), row.allocateP50(), row.allocateP99(), row.readP50(), row.readP99());
        }
        System.exit(0);
    }
}
