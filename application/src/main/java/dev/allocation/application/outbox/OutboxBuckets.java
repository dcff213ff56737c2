package dev.allocation.application.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the relays of several instances share one outbox, so that each relays a part of it and none waits
 * on another (the package's <a href="package-summary.html#buckets">buckets</a>): a store splits its skus
 * into a fixed number of buckets, each sku in one, and each live relay holds a lease on its fair share of
 * the buckets and claims only their events. This is the one rule of that share, which every store with
 * buckets applies at each relay's renewal: the relays, sorted, take the buckets in turn, so the shares
 * differ by one at most; a relay above its share lets the excess go, and one below it takes buckets that
 * nobody holds or whose lease lapsed, the one that died's among them. Each relay moving towards its own
 * share, the relays settle on a split of every bucket within a renewal or two of a join or a death.
 */
public final class OutboxBuckets {

    private OutboxBuckets() {
    }

    /**
     * A bucket's lease, as the store holds it.
     *
     * @param bucket its number
     * @param relay  the relay holding it, null when none does
     * @param until  when the lease lapses, unless renewed
     */
    public record Lease(int bucket, String relay, Instant until) {

        public Lease {
            Objects.requireNonNull(until, "until must not be null");
        }

        /** True when {@code relay} may take it at {@code now}: nobody holds it, or its lease lapsed. */
        boolean isFreeFor(String relay, Instant now) {
            return this.relay == null || !this.relay.equals(relay) && !until.isAfter(now);
        }
    }

    /**
     * What a relay does at its renewal.
     *
     * @param hold    the buckets it renews or takes: those it holds already, and those free to take
     * @param release the buckets it lets go, above its share
     */
    public record Plan(Set<Integer> hold, Set<Integer> release) {

        public Plan {
            hold = Set.copyOf(hold);
            release = Set.copyOf(release);
        }
    }

    /**
     * The number of buckets {@code relay}'s fair share holds: the live relays, sorted, take the
     * {@code buckets} in turn.
     *
     * @throws IllegalArgumentException when {@code relay} is not among {@code live}
     */
    public static int share(String relay, Collection<String> live, int buckets) {
        List<String> sorted = List.copyOf(new TreeSet<>(live));
        int rank = sorted.indexOf(relay);
        if (rank < 0) {
            throw new IllegalArgumentException("Relay " + relay + " is not among the live relays " + sorted);
        }
        return buckets / sorted.size() + (rank < buckets % sorted.size() ? 1 : 0);
    }

    /**
     * What {@code relay} renews, takes and lets go at {@code now}, given the {@code live} relays (itself
     * among them) and every bucket's lease. Below its share, it takes free buckets starting from a point
     * of its own, so that relays joining at once mostly reach for different ones.
     */
    public static Plan plan(String relay, Collection<String> live, Collection<Lease> leases, Instant now) {
        Set<String> relays = new TreeSet<>(live);
        relays.add(relay);
        int share = share(relay, relays, leases.size());
        List<Integer> held = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        leases.stream().sorted((a, b) -> Integer.compare(a.bucket(), b.bucket())).forEach(lease -> {
            if (relay.equals(lease.relay())) {
                held.add(lease.bucket());
            } else if (lease.isFreeFor(relay, now)) {
                free.add(lease.bucket());
            }
        });
        if (held.size() >= share) {
            return new Plan(Set.copyOf(held.subList(0, share)), Set.copyOf(held.subList(share, held.size())));
        }
        Set<Integer> hold = new TreeSet<>(held);
        int start = free.isEmpty() ? 0 : List.copyOf(relays).indexOf(relay) * free.size() / relays.size();
        for (int i = 0; i < free.size() && hold.size() < share; i++) {
            hold.add(free.get((start + i) % free.size()));
        }
        return new Plan(hold, Set.of());
    }
}
