package dev.allocation.adapters.micrometer;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.allocation.application.MessageBusListener;
import dev.allocation.application.outbox.OutboxBacklog;
import dev.allocation.application.outbox.OutboxOperations;
import dev.allocation.domain.Message;
import dev.allocation.domain.commands.Command;
import dev.allocation.domain.events.Event;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.Closeable;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocation service's figures as Micrometer meters, named by Micrometer's conventions (dotted,
 * lower case; each registry renders them its own way, Prometheus as {@code allocation_messages_seconds}):
 *
 * <ul>
 *   <li>{@value #MESSAGES}, a timer of every message the bus handled, tagged {@code kind} (command,
 *       event), {@code type} (its class, e.g. {@code Allocate}) and {@code outcome} (success, refused,
 *       unavailable, failed);</li>
 *   <li>{@value #CONFLICTS_RETRIED}, optimistic-concurrency conflicts the bus retried, and
 *       {@value #CONTENTION_EXHAUSTED}, commands that gave up on them, tagged {@code type}; with
 *       optimistic locking, the first signal that a sku is too hot;</li>
 *   <li>{@value #EVENT_HANDLER_FAILURES}, tagged {@code type} and {@code given_up};</li>
 *   <li>with {@link #outbox}, the gauges {@value #OUTBOX_PENDING}, {@value #OUTBOX_OLDEST_AGE} (seconds)
 *       and {@value #OUTBOX_DEAD};</li>
 *   <li>with {@link #broker}, the gauge {@value #BROKER_UP}, tagged {@code broker}: 1 while the broker
 *       answers, 0 while it does not.</li>
 * </ul>
 *
 * <pre>{@code
 * AllocationMeters meters = new AllocationMeters(registry);
 * AllocationService service = Bootstrap.builder().listener(meters).poolMetrics(meters.hikari()).build();
 * meters.outbox(service.outbox());
 * }</pre>
 *
 * Thread-safe; each meter is looked up once, so a message costs the bus a map read and a timer update.
 */
public final class AllocationMeters implements MessageBusListener {

    public static final String MESSAGES = "allocation.messages";
    public static final String CONFLICTS_RETRIED = "allocation.conflicts.retried";
    public static final String CONTENTION_EXHAUSTED = "allocation.contention.exhausted";
    public static final String EVENT_HANDLER_FAILURES = "allocation.event.handler.failures";
    public static final String OUTBOX_PENDING = "allocation.outbox.pending";
    public static final String OUTBOX_OLDEST_AGE = "allocation.outbox.oldest.age";
    public static final String OUTBOX_DEAD = "allocation.outbox.dead";
    public static final String BROKER_UP = "allocation.broker.up";

    /** How long a reading of the outbox's backlog (a query of the store) serves the gauges. */
    static final Duration BACKLOG_FRESHNESS = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(AllocationMeters.class);
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final MeterRegistry registry;
    private final Map<Class<?>, Timer[]> timers = new ConcurrentHashMap<>();
    private final Map<Class<?>, Counter> retried = new ConcurrentHashMap<>();
    private final Map<Class<?>, Counter> exhausted = new ConcurrentHashMap<>();
    private final Map<Class<?>, Counter[]> eventFailures = new ConcurrentHashMap<>();

    public AllocationMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    @Override
    public void handled(Message message, Outcome outcome, Duration duration) {
        timers.computeIfAbsent(message.getClass(), this::timersOf)[outcome.ordinal()].record(duration);
    }

    @Override
    public void conflictRetried(Message message, int attempt) {
        retried.computeIfAbsent(message.getClass(), type -> counter(CONFLICTS_RETRIED,
                "optimistic-concurrency conflicts retried by the message bus", type)).increment();
    }

    @Override
    public void contentionExhausted(Message message, int attempts) {
        exhausted.computeIfAbsent(message.getClass(), type -> counter(CONTENTION_EXHAUSTED,
                "commands that kept losing optimistic-concurrency races and failed", type)).increment();
    }

    @Override
    public void eventHandlerFailed(Event event, RuntimeException failure, boolean givenUp) {
        eventFailures.computeIfAbsent(event.getClass(), type -> new Counter[] {
                eventFailures(type, false), eventFailures(type, true)})[givenUp ? 1 : 0].increment();
    }

    /**
     * Gauges of {@code outbox}'s backlog: pending events, the age of the oldest, dead events. Reading the
     * backlog queries the store, so one reading serves every gauge for a second; while the store cannot
     * answer, the gauges read NaN.
     *
     * @return this, to go on
     */
    public AllocationMeters outbox(OutboxOperations outbox) {
        Backlog backlog = new Backlog(Objects.requireNonNull(outbox, "outbox must not be null"));
        gauge(OUTBOX_PENDING, "events recorded and not yet published", null, backlog,
                reading -> reading.read(b -> b.pending()));
        gauge(OUTBOX_OLDEST_AGE, "age of the oldest event not yet published", "seconds", backlog,
                reading -> reading.read(b -> b.oldestPendingAge().toMillis() / 1000.0));
        gauge(OUTBOX_DEAD, "events the publisher refused for good; the later events of their skus wait", null, backlog,
                reading -> reading.read(b -> b.dead()));
        return this;
    }

    /**
     * The gauge {@value #BROKER_UP}{@code {broker=name}}: 1 while {@code up} says the broker answers, 0
     * while it does not (events then wait in the outbox: the backlog gauges show how many). {@code up} is
     * asked at each reading, so it should answer within a second or so.
     *
     * @param name the broker, e.g. {@code redis}
     * @return this, to go on
     */
    public AllocationMeters broker(String name, BooleanSupplier up) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(up, "up must not be null");
        Gauge.builder(BROKER_UP, up, answers -> answers.getAsBoolean() ? 1 : 0)
                .description("whether the broker integration events go to answers (1) or not (0)")
                .tag("broker", name).strongReference(true).register(registry);
        return this;
    }

    /**
     * HikariCP's own pool meters ({@code hikaricp.connections...}) in this registry, for
     * {@code Bootstrap.Builder.poolMetrics}. Needs HikariCP, which bootstrap brings.
     */
    public MetricsTrackerFactory hikari() {
        return new MicrometerMetricsTrackerFactory(registry);
    }

    /**
     * Lettuce's own command latency meters ({@code lettuce.command...}) in this registry, for
     * {@code RedisBroker.connect(url, recorder)}. Needs Lettuce, which the Redis adapter brings.
     */
    public CommandLatencyRecorder lettuce() {
        return Lettuce.recorder(registry);
    }

    /**
     * Kafka's own client figures ({@code kafka.producer...}, {@code kafka.consumer...}: requests, errors,
     * latencies, a consumer's lag) in this registry, through Micrometer's {@code KafkaClientMetrics}, for
     * {@code KafkaBroker.connect(servers, extra, meters.kafka())}: given a kafka-clients {@code Producer} or
     * {@code Consumer}, it binds the client's figures and returns what removes them. Needs kafka-clients,
     * which the Kafka adapter brings.
     */
    public Function<Closeable, AutoCloseable> kafka() {
        return client -> Kafka.bind(client, registry);
    }

    /**
     * Builds Lettuce's recorder apart from this class, so that loading {@code AllocationMeters} (whose
     * verifier would otherwise check that recorder against {@code CommandLatencyRecorder}) never needs
     * Lettuce: an application without it, a Spring Boot one among them, can still use the class.
     */
    private static final class Lettuce {
        static CommandLatencyRecorder recorder(MeterRegistry registry) {
            return new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create());
        }
    }

    /** Binds Kafka's client figures apart from this class, for the same reason as {@link Lettuce}. */
    private static final class Kafka {
        static AutoCloseable bind(Closeable client, MeterRegistry registry) {
            KafkaClientMetrics metrics;
            if (client instanceof org.apache.kafka.clients.producer.Producer<?, ?> producer) {
                metrics = new KafkaClientMetrics(producer);
            } else if (client instanceof org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
                metrics = new KafkaClientMetrics(consumer);
            } else {
                throw new IllegalArgumentException("Not a Kafka producer or consumer: " + client);
            }
            metrics.bindTo(registry);
            return metrics;
        }
    }

    private Timer[] timersOf(Class<?> type) {
        String kind = Command.class.isAssignableFrom(type) ? "command" : "event";
        Timer[] byOutcome = new Timer[OUTCOMES.length];
        for (Outcome outcome : OUTCOMES) {
            byOutcome[outcome.ordinal()] = Timer.builder(MESSAGES)
                    .description("messages handled by the message bus, with every event they led to")
                    .tag("kind", kind)
                    .tag("type", type.getSimpleName())
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        return byOutcome;
    }

    private Counter counter(String name, String description, Class<?> type) {
        return Counter.builder(name).description(description).tag("type", type.getSimpleName()).register(registry);
    }

    private Counter eventFailures(Class<?> type, boolean givenUp) {
        return Counter.builder(EVENT_HANDLER_FAILURES)
                .description("failures of event handlers (given_up: no attempt left)")
                .tag("type", type.getSimpleName())
                .tag("given_up", Boolean.toString(givenUp))
                .register(registry);
    }

    private void gauge(String name, String description, String unit, Backlog backlog, ToDoubleFunction<Backlog> value) {
        Gauge.builder(name, backlog, value).description(description).baseUnit(unit).strongReference(true)
                .register(registry);
    }

    /** The outbox's backlog, read at most once per {@link #BACKLOG_FRESHNESS}. */
    private static final class Backlog {
        private final OutboxOperations outbox;
        private OutboxBacklog last;
        private long readAt;

        Backlog(OutboxOperations outbox) {
            this.outbox = outbox;
        }

        synchronized double read(ToDoubleFunction<OutboxBacklog> figure) {
            long now = System.nanoTime();
            if (last == null || now - readAt > BACKLOG_FRESHNESS.toNanos()) {
                try {
                    last = outbox.backlog();
                } catch (RuntimeException e) {
                    log.debug("The outbox's backlog could not be read: {}", e.toString());
                    last = null;
                    return Double.NaN;
                } finally {
                    readAt = now;
                }
            }
            return last == null ? Double.NaN : figure.applyAsDouble(last);
        }
    }
}
