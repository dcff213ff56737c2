package dev.allocation.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable service as a real child process: {@code java -cp allocation-service.jar
 * dev.allocation.service.AllocationServer --port 0 --host 127.0.0.1 ...}, the jar maven-shade made in the
 * package phase (failsafe passes its path as {@code allocation.service.jar}). Its standard output and error
 * (the logback log) go straight to {@code target/service-logs/<n>-<name>.log}, kept for a look after the test.
 *
 * <p>{@link #kill()} is a crash ({@code SIGKILL}: no shutdown hook, no flush); {@link #terminate(Duration)} is
 * an orderly stop ({@code SIGTERM}: the shutdown hooks run). Both signal through the {@link ProcessHandle},
 * since {@link Process#destroy()} also closes the pipes of the child.
 */
final class ServiceProcess implements AutoCloseable {

    static final String MAIN_CLASS = "dev.allocation.service.AllocationServer";
    private static final Pattern LISTENING = Pattern.compile(
            "Allocation service \\S+ listening on http:(?://|\\\\/\\\\/)[^:/\\\\]+:(\\d+),");
    private static final Pattern ADMIN = Pattern.compile("admin on http:(?://|\\\\/\\\\/)[^:]+:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger STARTED = new AtomicInteger();
    /**
     * The flags of every child JVM. The client compiler only ({@code TieredStopAtLevel=1}): a child lives for
     * seconds, and on a busy machine C2 compiling at start-up took a large share of its CPU time, with nothing
     * of what the tests check depending on peak speed.
     */
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final String name;
    private final Process process;
    private final Path logFile;
    private int port;
    private int adminPort;

    private ServiceProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts the service with {@code options} (after {@code --port 0 --host 127.0.0.1 --admin-port 0}) and the environment
     * variables {@code environment} (the test's own {@code ALLOCATION_*} variables are not passed on), and
     * waits for its start-up line.
     */
    static ServiceProcess start(String name, List<String> options, Map<String, String> environment) {
        return start(name, List.of(), options, environment);
    }

    /**
     * {@link #start(String, List, Map)} with at most {@code openFiles} open files ({@code ulimit -n}, set by
     * {@code bash} before it becomes the JVM).
     */
    static ServiceProcess startWithOpenFiles(String name, int openFiles, List<String> options,
                                             Map<String, String> environment) {
        return start(name, List.of("bash", "-c", "ulimit -n " + openFiles + " && exec \"$@\"", "bash"), options,
                environment);
    }

    private static ServiceProcess start(String name, List<String> prefix, List<String> options,
                                        Map<String, String> environment) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(javaExecutable(), "-Xmx384m"));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", serviceJar().toString(), MAIN_CLASS, "--port", "0", "--host", "127.0.0.1",
                "--admin-port", "0"));
        command.addAll(options);
        String fullName = STARTED.incrementAndGet() + "-" + name;
        Path logFile = logDirectory().resolve(fullName.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("ALLOCATION_"));
        builder.environment().put("ALLOCATION_LOG_LEVEL", "INFO");
        builder.environment().putAll(environment);
        ServiceProcess service;
        try {
            service = new ServiceProcess(fullName, builder.start(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
        service.awaitStart();
        return service;
    }

    /** What a short run of the service (one that exits by itself) printed, and its exit code. */
    record Ran(int exitCode, List<String> output) {
    }

    /**
     * Runs the service with exactly {@code arguments} (no port or host added) and {@code environment}, and
     * waits up to {@code timeout} for it to exit by itself.
     */
    static Ran run(List<String> arguments, Map<String, String> environment, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m"));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", serviceJar().toString(), MAIN_CLASS));
        command.addAll(arguments);
        Path logFile = logDirectory().resolve(STARTED.incrementAndGet() + "-run.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("ALLOCATION_"));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                throw new IllegalStateException("The service did not exit within " + timeout + ": " + command);
            }
            return new Ran(process.exitValue(), Files.readAllLines(logFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitStart() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : logLines(line -> LISTENING.matcher(line).find())) {
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    port = Integer.parseInt(listening.group(1));
                    Matcher admin = ADMIN.matcher(line);
                    adminPort = admin.find() ? Integer.parseInt(admin.group(1)) : -1;
                    return;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The service " + name + " exited with " + process.exitValue()
                        + " before it listened; its output (" + logFile + "):\n" + tail(40));
            }
            LoadClients.pause(20);
        }
        process.toHandle().destroyForcibly();
        throw new IllegalStateException("The service " + name + " did not start within " + START_TIMEOUT
                + "; its output (" + logFile + "):\n" + tail(40));
    }

    /** The HTTP port it listens on, from its start-up line. */
    int port() {
        return port;
    }

    /** The admin API's port, from its start-up line. */
    int adminPort() {
        return adminPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: the process dies at once, nothing of it runs any more. Waits until it is gone. */
    void kill() {
        process.toHandle().destroyForcibly();   // SIGKILL on Linux and macOS
        awaitExit(Duration.ofSeconds(30));
    }

    /**
     * {@code kill -TERM} (what an orchestrator sends to stop a service): its shutdown hooks run. Waits up to
     * {@code timeout} for it to exit, then kills it.
     *
     * @return how long it took to exit after the signal, or empty when it had to be killed
     */
    Optional<Duration> terminate(Duration timeout) {
        long start = System.nanoTime();
        process.toHandle().destroy();   // SIGTERM on Linux and macOS
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        return Optional.empty();
    }

    /** The exit code of the process, once it exited. */
    int exitCode() {
        return process.exitValue();
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The service " + name + " (pid " + pid() + ") did not exit within "
                        + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Its log lines so far that {@code match}. */
    List<String> logLines(Predicate<String> match) {
        return log().stream().filter(match).toList();
    }

    /** Its last {@code lines} log lines, for failure messages. */
    String tail(int lines) {
        List<String> log = log();
        return String.join("\n", log.subList(Math.max(0, log.size() - lines), log.size()));
    }

    private List<String> log() {
        try {
            return List.of(new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return logFile;
    }

    /** Kills it if it still runs (a test that failed half-way). */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "service " + name + " (pid " + process.pid() + ", log " + logFile + ")";
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path serviceJar() {
        Path jar = Path.of(System.getProperty("allocation.service.jar", "target/allocation-service.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No service jar at " + jar.toAbsolutePath() + ": these tests run in the"
                    + " integration-test phase (mvn -B verify), after maven-shade made it in the package phase");
        }
        return jar;
    }

    private static Path logDirectory() {
        Path directory = Path.of(System.getProperty("allocation.service.logs", "target/service-logs"));
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
