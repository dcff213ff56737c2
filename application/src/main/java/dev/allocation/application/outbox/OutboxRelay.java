package dev.allocation.application.outbox;

import dev.allocation.application.Backoff;
import dev.allocation.application.LogText;
import dev.allocation.application.port.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox relay: hands the events recorded in the outbox ({@link OutboxQueue}) to the
 * {@link EventPublisher}, on a thread of its own, so that a command never waits for a broker and no event
 * is lost to one that is away. Each event is published at least once, in commit order per sku (its
 * rounds are the third part of the package's <a href="package-summary.html#order">order per sku</a>).
 * A failed publish is transient unless the publisher marks it a {@link PermanentPublishFailure}: a
 * transient one (the broker away, a timeout) is retried after a {@link Backoff}, for as long as it lasts,
 * and never makes an event dead; a permanent one marks the event dead at once, and the later events of
 * its sku wait until an operator republishes or purges it ({@link OutboxOperations}). The attempts and
 * the last error are kept on the event either way. Published events are deleted as they are published,
 * or, given a {@link Settings#retention()}, once it has passed.
 *
 * <p>Any number of relays may share one outbox (one per instance): their claims never overlap, and where
 * the store splits it into <a href="package-summary.html#buckets">buckets</a>, they relay in parallel. A relay
 * wakes when its store tells it that events are pending ({@link OutboxQueue#onPending}), and polls in case
 * another instance recorded events. While its claims keep finding events, it claims again after its
 * linger without waiting to be woken, and after a claim that found none it looks again after twice as
 * long as the last time, up to its poll interval: the events that other instances record into its share
 * of the outbox wait about as long as its own, where they waited for its poll, and other relays' claims
 * walked over them meanwhile.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxQueue outbox;
    private final EventPublisher publisher;
    private final Settings settings;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private Instant nextCleanup = Instant.MIN;

    private OutboxRelay(OutboxQueue outbox, EventPublisher publisher, Settings settings, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox must not be null");
        this.publisher = Objects.requireNonNull(publisher, "publisher must not be null");
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.thread = new Thread(this::run, "allocation-outbox-relay");
        this.thread.setDaemon(true);
    }

    /** Starts relaying from {@code outbox} to {@code publisher} until closed. */
    public static OutboxRelay start(OutboxQueue outbox, EventPublisher publisher, Settings settings) {
        OutboxRelay relay = new OutboxRelay(outbox, publisher, settings, Clock.systemUTC());
        outbox.onPending(relay::wake);
        relay.thread.start();
        return relay;
    }

    /** Asks the relay to look for new events now rather than at its next poll. */
    private void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * Stops relaying: a publish in progress finishes (within {@link Settings#stopGrace()}), and events
     * claimed but not yet published are given back for this or another instance to publish later.
     */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(settings.stopGrace().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The outbox relay did not stop within {}; its claimed events are published after their claim lapses",
                    settings.stopGrace());
            thread.interrupt();
        }
        try {
            outbox.leave();
        } catch (RuntimeException e) {
            log.warn("The outbox relay could not hand its part of the outbox over; the other instances take it "
                    + "when its lease lapses: {}", LogText.lazy(e));
        }
    }

    private void run() {
        Duration quiet = settings.pollInterval();   // the wait after a claim that found nothing
        while (running) {
            try {
                Round round = relayOnce();
                deletePublishedWhenDue();
                if (round.published() == 0 && round.claimed() > 0) {
                    await(settings.backoff().first());   // the publisher fails as a whole: do not spin on it
                } else if (round.claimed() > 0 && round.claimed() < settings.batchSize()) {
                    // events are flowing, maybe recorded by another instance, whose commits never wake this
                    // relay: look again after the linger, as a wake-up would, not at the next poll
                    quiet = settings.linger();
                    pause(settings.linger());
                } else if (round.claimed() == 0) {
                    boolean woken = await(quiet);
                    // a flow that paused: look again soon, then less and less often, up to the poll interval
                    quiet = min(quiet.multipliedBy(2), settings.pollInterval());
                    if (woken) {   // by a commit: let the commits of the next moment join it, one claim for them all
                        pause(settings.linger());
                    }
                }
            } catch (RuntimeException e) {
                log.warn("The outbox relay cannot reach its store: {}", LogText.lazy(e));
                await(settings.pollInterval());
            }
        }
    }

    private record Round(int claimed, int published) {
    }

    private static Duration min(Duration one, Duration other) {
        return one.compareTo(other) <= 0 ? one : other;
    }

    /** An event being published: the oldest claimed of its sku in a round. */
    private record InFlight(OutboxEvent event, CompletableFuture<Void> publish) {
    }

    /**
     * Claims a batch for a lease and publishes it in rounds: the oldest claimed event of every sku at once
     * (in flight together, when the publisher can), then the next of every sku, and so on; a sku whose
     * event failed publishes nothing more this time. No round starts past half the lease. Then records how
     * each publish went.
     */
    Round relayOnce() {
        Instant now = clock.instant();
        List<OutboxEvent> claimed = outbox.claim(settings.batchSize(), now, now.plus(settings.lease()));
        Instant stopBy = now.plus(settings.lease().dividedBy(2));
        Map<String, Deque<OutboxEvent>> bySku = new LinkedHashMap<>();
        claimed.forEach(event -> bySku.computeIfAbsent(event.sku(), sku -> new ArrayDeque<>()).add(event));
        List<OutboxEvent> published = new ArrayList<>();
        List<OutboxEvent> given = new ArrayList<>();
        List<String> retried = new ArrayList<>();
        while (running && !bySku.isEmpty() && !clock.instant().isAfter(stopBy)) {
            List<InFlight> round = new ArrayList<>(bySku.size());
            for (Deque<OutboxEvent> events : bySku.values()) {
                OutboxEvent event = events.peek();
                round.add(new InFlight(event, publishAsync(event)));
            }
            round.forEach(inFlight -> {
                OutboxEvent event = inFlight.event();
                CompletableFuture<Void> publish = inFlight.publish();
                Deque<OutboxEvent> ofSku = bySku.get(event.sku());
                try {
                    publish.get(settings.lease().toMillis(), TimeUnit.MILLISECONDS);
                    published.add(event);
                    ofSku.remove();
                } catch (ExecutionException e) {
                    failed(ofSku.remove(), e.getCause(), retried);
                    given.addAll(ofSku);   // later events of a sku wait for its failed one
                    ofSku.clear();
                } catch (TimeoutException | InterruptedException e) {
                    failed(ofSku.remove(), e, retried);
                    given.addAll(ofSku);
                    ofSku.clear();
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        running = false;
                    }
                }
                if (ofSku.isEmpty()) {
                    bySku.remove(event.sku());
                }
            });
        }
        if (!published.isEmpty()) {
            recordPublished(published);
        }
        bySku.values().forEach(given::addAll);
        if (!given.isEmpty()) {
            outbox.release(given);
        }
        if (!retried.isEmpty()) {   // one line a round: an outage must not flood the log with one per event
            log.warn("Publishing {} outbox event(s) failed, each retried later with backoff; the first: {}",
                    retried.size(), retried.get(0));
        }
        return new Round(claimed.size(), published.size());
    }

    /** Deletes the events published, or, given a retention, marks them published, to be deleted once it passed. */
    private void recordPublished(List<OutboxEvent> published) {
        if (settings.retention().isZero()) {
            outbox.deletePublished(published);
        } else {
            outbox.markPublished(published, clock.instant());
        }
    }

    /** Starts publishing {@code event}; a publisher that throws instead of failing the stage fails it all the same. */
    private CompletableFuture<Void> publishAsync(OutboxEvent event) {
        try {
            return publisher.publishAsync(event.eventId(), event.event()).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Records a failed publish: a {@link PermanentPublishFailure} marks the event dead at once;
     * any other failure is transient, and the event is retried after a backoff, however many attempts
     * it took already. The error of a transient one is added to {@code retried}.
     */
    private void failed(OutboxEvent event, Throwable failure, List<String> retried) {
        Throwable cause = unwrapped(failure);
        int attempts = event.attempts() + 1;
        String escaped = LogText.escape(String.valueOf(cause));
        String error = escaped.length() <= OutboxQueue.MAX_ERROR_LENGTH ? escaped
                : escaped.substring(0, OutboxQueue.MAX_ERROR_LENGTH);
        if (cause instanceof PermanentPublishFailure) {
            log.error("Outbox event {} ({}) is dead, it can never be published: {}; the later events of "
                    + "its sku wait until it is republished or purged", event.eventId(), LogText.lazy(event.event()),
                    error);
            outbox.markDead(event, error, clock.instant());
        } else {
            Duration delay = settings.backoff().delay(attempts);
            log.debug("Publishing outbox event {} failed (attempt {}), next in {} ms: {}",
                    event.eventId(), attempts, delay.toMillis(), error);
            outbox.retryLater(event, error, clock.instant().plus(delay));
            retried.add(error);
        }
    }

    /** The failure a publisher reported, out of the wrappers a future puts around it. */
    static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void deletePublishedWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCleanup)) {
            return;
        }
        nextCleanup = now.plus(settings.cleanupInterval());
        Instant before = now.minus(settings.retention());
        int deleted;
        do {
            deleted = outbox.deletePublished(before, settings.batchSize());
        } while (deleted > 0 && running);
    }

    /** Waits for a commit's wake-up, at most {@code timeout}; true when woken. */
    private boolean await(Duration timeout) {
        try {
            if (wake.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return false;
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * How the relay works. None of them makes an event dead: only a {@link PermanentPublishFailure} does.
     *
     * @param batchSize       events claimed at a time: what a backlog holds in memory at once
     * @param lease           how long a claim lasts (the package's
     *                        <a href="package-summary.html#lease">lease</a>)
     * @param backoff         how long an event waits after each transient failure: its {@code max} is how
     *                        long, at most, an event waits once its broker is back; its {@code first}, also
     *                        how long the relay waits before its next claim when every publish failed
     * @param retention       how long a published event is kept before it is deleted; zero (the default):
     *                        it is deleted as it is published, since nothing reads it again
     * @param pollInterval    the longest the relay sleeps, once its claims found nothing, before it looks
     *                        for events recorded by another instance
     * @param linger          how long the relay waits, once a commit woke it or a claim found events, for
     *                        the events that follow, so that one claim and one update serve them all
     *                        instead of each commit paying for its own
     * @param cleanupInterval how often published events past their retention are deleted
     * @param stopGrace       how long {@link #close()} waits for a publish in progress
     */
    public record Settings(int batchSize, Duration lease, Backoff backoff, Duration retention,
                           Duration pollInterval, Duration linger, Duration cleanupInterval, Duration stopGrace) {

        /**
         * 256 events a batch, claims of 10 s, a backoff from 1 s up to 1 min, published events deleted as
         * they are published, a poll every second, 20 ms of linger after a wake-up.
         */
        public static final Settings DEFAULT = new Settings(256, Duration.ofSeconds(10),
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofMillis(20), Duration.ofMinutes(1), Duration.ofSeconds(5));

        /**
         * @throws IllegalArgumentException when batchSize is below 1, the backoff is missing, the retention
         *                                  is missing or negative, or another duration (the backoff's first
         *                                  included) is not positive
         */
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1");
            }
            if (backoff == null) {
                throw new IllegalArgumentException("The relay's backoff must not be null");
            }
            if (retention == null || retention.isNegative()) {
                throw new IllegalArgumentException("The relay's retention must be zero or positive");
            }
            for (Duration duration : List.of(lease, backoff.first(), pollInterval, linger, cleanupInterval,
                    stopGrace)) {
                if (duration == null || duration.isNegative() || duration.isZero()) {
                    throw new IllegalArgumentException("Every duration of the relay must be positive");
                }
            }
        }

        /** These settings with another backoff. */
        public Settings withBackoff(Backoff backoff) {
            return new Settings(batchSize, lease, backoff, retention, pollInterval, linger, cleanupInterval,
                    stopGrace);
        }
    }
}
