package dev.allocation.service;

import static dev.allocation.service.ServiceConfig.variable;

import dev.allocation.adapters.jdbc.JdbiStorage.Locking;
import dev.allocation.service.ServiceConfig.Kafka;
import dev.allocation.service.ServiceConfig.Operations;
import dev.allocation.service.ServiceConfig.UsageError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The service's command line, read by picocli: each option from its flag, else its environment variable
 * ({@code ALLOCATION_} and the flag's name in capitals; empty counts as unset, but for the token), else
 * its default. {@link #USAGE} is what {@code --help} prints; the rules between options are
 * {@link ServiceConfig}'s.
 */
@Command(name = "allocation-service", customSynopsis = "java -jar allocation-service.jar [options]",
        description = {"%nThe allocation service: the reference HTTP API, storage in a database, integration events"
                + " through Redis, Kafka or both. Every option can also be given as an environment variable; a flag wins over the"
                + " variable."},
        optionListHeading = "%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped in order (SIGTERM, Ctrl-C), or --help, --version",
                "1:unexpected failure, or a stop that failed to close something",
                "2:bad option, or a listener other machines reach without a token",
                "3:a port in use",
                "4:the database unreachable or in use by another process",
                "5:Redis unreachable"},
        footerHeading = "%n",
        footer = "Readiness: GET /health/ready (and /health) answers 200 while the storage answers, else 503; a"
                + " broker's state (Redis, Kafka) is a detail of its answer and of /metrics, never a reason for 503"
                + " (the outbox keeps the events).",
        sortOptions = false)
final class ServiceCommandLine {

    /** Printed for {@code --help}, and after a wrong option; the defaults, never the environment's values. */
    static final String USAGE = usage();

    private static final int WIDTH = 110;
    private static final int FLAG_COLUMN = 26;
    private static final int VARIABLE_COLUMN = 27;
    private static final int DESCRIPTION_COLUMN = WIDTH - FLAG_COLUMN - VARIABLE_COLUMN;

    @Option(names = "--port", paramLabel = "<n>", defaultValue = "5005",
            description = "HTTP port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    private int port;

    @Option(names = "--host", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "interface to listen on (default ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
                    + " interface, e.g. in a container, with a token)")
    private String host;

    @Option(names = "--api-token", paramLabel = "<secret>",
            description = "bearer token every route but /health, /health/live and /health/ready asks for, the admin"
                    + " API's too (default: none; prefer the variable: flags show in ps). Set, it must not be empty"
                    + " or blank, nor begin or end with whitespace")
    private Optional<String> apiToken;

    @Option(names = "--allow-unauthenticated", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "run without a token although --host or --admin-host is not a loopback address"
                    + " (true/false; default ${DEFAULT-VALUE}: such a start is refused, exit code 2)")
    private boolean allowUnauthenticated;

    @Option(names = "--db-url", paramLabel = "<jdbc-url>",
            description = "JDBC URL of H2 or PostgreSQL, e.g. jdbc:postgresql://localhost:5432/allocation (default:"
                    + " embedded H2 files under --data-dir)")
    private Optional<String> databaseUrl;

    @Option(names = "--db-user", paramLabel = "<name>", description = "database user")
    private Optional<String> databaseUser;

    @Option(names = "--db-password", paramLabel = "<secret>",
            description = "database password (prefer the variable: flags show in ps)")
    private Optional<String> databasePassword;

    @Option(names = "--data-dir", paramLabel = "<path>", defaultValue = "data",
            description = "folder of the embedded H2 database (default ./${DEFAULT-VALUE})")
    private Path dataDir;

    @Option(names = "--in-memory", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "keep everything in memory, gone at exit (true/false; default ${DEFAULT-VALUE})")
    private boolean inMemory;

    @Option(names = "--redis-url", paramLabel = "<url>",
            description = "Redis for integration events, e.g. redis://localhost:6379, redis://:password@host:6379/0,"
                    + " rediss:// for TLS (default: none, events go to the log)")
    private Optional<String> redisUrl;

    @Option(names = "--kafka-bootstrap-servers", paramLabel = "<host:port,...>",
            description = "Kafka for integration events (topic line_allocated) and commands (topic"
                    + " change_batch_quantity, group allocation); with Redis too, events go to both (default: none)")
    private Optional<String> kafkaBootstrapServers;

    @Option(names = "--kafka-properties", paramLabel = "<file>",
            description = "a properties file for every Kafka client: security.protocol, sasl.*, ssl.* (default: none)")
    private Optional<Path> kafkaProperties;

    @Option(names = "--admin-port", paramLabel = "<n>", defaultValue = "5006",
            description = "port of the admin API: the outbox's figures and dead events (default ${DEFAULT-VALUE};"
                    + " 0 picks a free one)")
    private int adminPort;

    @Option(names = "--admin-host", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "interface of the admin API (default ${DEFAULT-VALUE}; it asks for the token when one is"
                    + " set)")
    private String adminHost;

    @Option(names = "--locking", paramLabel = "<mode>", defaultValue = "optimistic",
            description = "optimistic: conflicts are retried, or pessimistic: rows locked, better for a few hot skus"
                    + " (default ${DEFAULT-VALUE})")
    private Locking locking;

    @Option(names = "--pool-size", paramLabel = "<n>", defaultValue = "16",
            description = "database connections (default ${DEFAULT-VALUE})")
    private int poolSize;

    @Option(names = "--http-workers", paramLabel = "<n>", defaultValue = "16",
            description = "requests handled at once (default ${DEFAULT-VALUE})")
    private int httpWorkers;

    @Option(names = "--shutdown-grace", paramLabel = "<s>", defaultValue = "10",
            description = "seconds a stop waits for requests in flight (default ${DEFAULT-VALUE})")
    private int shutdownGrace;

    @Option(names = "--out-of-stock-recipient", paramLabel = "<address>", defaultValue = "stock@made.com",
            description = "who is told of an out-of-stock sku (default ${DEFAULT-VALUE})")
    private String outOfStockRecipient;

    @Option(names = "--log-level", paramLabel = "<level>", defaultValue = "INFO",
            description = "TRACE, DEBUG, INFO, WARN, ERROR or OFF (default ${DEFAULT-VALUE})")
    private String logLevel;

    @Option(names = "--log-format", paramLabel = "<format>", defaultValue = "text",
            description = "text, or json: one JSON object per line (default ${DEFAULT-VALUE})")
    private String logFormat;

    @Option(names = "--version", versionHelp = true, description = "print the version and exit")
    private boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this and exit")
    private boolean help;

    private ServiceCommandLine() {
    }

    /**
     * Reads the flags ({@code --name value} or {@code --name=value}) over the environment.
     *
     * @param out where {@code --help} and {@code --version} are answered
     * @return empty when {@code --help} or {@code --version} was asked for, and answered on {@code out}
     * @throws UsageError naming the flag or variable that is wrong
     */
    static Optional<ServiceConfig> parse(String[] args, Map<String, String> env, PrintStream out) {
        ServiceCommandLine options = new ServiceCommandLine();
        CommandLine line = new CommandLine(options)
                .setDefaultValueProvider(new Environment(env))
                .setInterpolateVariables(false)   // a value from the environment is taken as written, ${ and all
                .setOverwrittenOptionsAllowed(true)   // a flag given twice: the last one counts
                .setExpandAtFiles(false)   // @file is an unknown option, not a file of arguments to read
                .registerConverter(Integer.TYPE, ServiceCommandLine::number)
                .registerConverter(Boolean.TYPE, ServiceCommandLine::trueOrFalse)
                .registerConverter(Locking.class, ServiceCommandLine::locking);
        line.getCommandSpec().parser().collectErrors(true);   // --help or --version anywhere is answered
        List<Exception> errors = line.parseArgs(args).errors();
        if (line.isUsageHelpRequested()) {
            out.print(USAGE);
            return Optional.empty();
        }
        if (line.isVersionHelpRequested()) {
            out.println("allocation-service " + AllocationServer.version());
            return Optional.empty();
        }
        if (!errors.isEmpty()) {
            throw new UsageError(errors.get(0) instanceof ParameterException e ? reason(e) : errors.get(0).getMessage());
        }
        return Optional.of(options.config());
    }

    private ServiceConfig config() {
        if (databaseUrl.isPresent() && !databaseUrl.get().startsWith("jdbc:")) {
            throw refusal("--db-url", "must be a JDBC URL starting with jdbc:", databaseUrl.get());
        }
        if (databaseUrl.isEmpty() && (databaseUser.isPresent() || databasePassword.isPresent())) {
            throw new UsageError("--db-user and --db-password need --db-url (ALLOCATION_DB_URL)");
        }
        if (redisUrl.isPresent() && !redisUrl.get().startsWith("redis://") && !redisUrl.get().startsWith("rediss://")) {
            throw refusal("--redis-url", "must start with redis:// or rediss://", redisUrl.get());
        }
        if (kafkaProperties.isPresent() && kafkaBootstrapServers.isEmpty()) {
            throw new UsageError("--kafka-properties needs --kafka-bootstrap-servers (ALLOCATION_KAFKA_BOOTSTRAP_SERVERS)");
        }
        Optional<Kafka> kafka = kafkaBootstrapServers.map(servers -> new Kafka(servers,
                kafkaProperties.map(ServiceCommandLine::properties).orElse(Map.of())));
        return new ServiceConfig(host, port, inMemory, databaseUrl, databaseUser, databasePassword, dataDir, redisUrl,
                kafka, adminHost, adminPort, apiToken, allowUnauthenticated, new Operations(locking, poolSize, httpWorkers,
                        Duration.ofSeconds(shutdownGrace), outOfStockRecipient, logLevel, logFormat));
    }

    /** The Kafka clients' properties in {@code file}; its values never reach a message (credentials). */
    private static Map<String, String> properties(Path file) {
        Properties read = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            read.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw refusal("--kafka-properties", "cannot be read (" + e.getClass().getSimpleName() + ")", file.toString());
        }
        Map<String, String> properties = new LinkedHashMap<>();
        read.stringPropertyNames().forEach(name -> properties.put(name, read.getProperty(name)));
        return properties;
    }

    /** Picocli's refusal, in the words the service has always used. */
    private static String reason(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return "Unknown option " + unmatched.getUnmatched().get(0).split("=", 2)[0] + " (--help lists them)";
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof OptionSpec option) {
            return option.longestName() + " needs a value";
        }
        if (e.getCause() instanceof TypeConversionException problem && e.getArgSpec() instanceof OptionSpec option) {
            return refusal(option.longestName(), problem.getMessage(), e.getValue()).getMessage();
        }
        return e.getMessage();
    }

    private static UsageError refusal(String flag, String problem, String value) {
        return new UsageError(flag + " (" + variable(flag) + ") " + problem + ", was \"" + value + "\"");
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("must be a number");
        }
    }

    private static boolean trueOrFalse(String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new TypeConversionException("must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static Locking locking(String value) {
        try {
            return Locking.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("must be optimistic or pessimistic");
        }
    }

    /** The environment as picocli's default values: an option's variable, when set, over its own default. */
    private record Environment(Map<String, String> variables) implements IDefaultValueProvider {

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
                return null;
            }
            String value = variables.get(variable(option.longestName()));
            // an empty variable counts as unset, but for the token: set empty, it would mean no authentication
            return value == null || value.isEmpty() && !option.longestName().equals("--api-token") ? null : value;
        }
    }

    /** The usage: each option with its variable, then what it is for and its default. */
    private static String usage() {
        CommandLine line = new CommandLine(new ServiceCommandLine()).setUsageHelpWidth(WIDTH);
        line.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> {
            Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(), new Column(FLAG_COLUMN, 2, Overflow.SPAN),
                    new Column(VARIABLE_COLUMN, 1, Overflow.SPAN), new Column(DESCRIPTION_COLUMN, 1, Overflow.WRAP));
            for (OptionSpec option : help.commandSpec().options()) {
                boolean answer = option.usageHelp() || option.versionHelp();
                table.addRowValues(String.join(", ", option.names()) + (option.typeInfo().isBoolean() ? ""
                        : " " + option.paramLabel()), answer ? "" : variable(option.longestName()),
                        wrap(String.join(" ", option.description())));
            }
            return table.toString();
        });
        return line.getUsageMessage(Help.Ansi.OFF);
    }

    /** Lines that break at spaces only: picocli would break a URL after its colon. */
    private static String wrap(String text) {
        StringBuilder lines = new StringBuilder();
        int length = 0;
        for (String word : text.split(" ")) {
            if (length > 0 && length + 1 + word.length() >= DESCRIPTION_COLUMN) {
                lines.append('\n');
                length = 0;
            } else if (length > 0) {
                lines.append(' ');
                length++;
            }
            lines.append(word);
            length += word.length();
        }
        return lines.toString();
    }
}
