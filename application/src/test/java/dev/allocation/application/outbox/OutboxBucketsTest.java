package dev.allocation.application.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one rule by which relays share an outbox's buckets: fair shares that differ by one at most, and
 * relays that settle on a split of every bucket, none held twice, after a join, a leave or a death.
 */
class OutboxBucketsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    private static final int BUCKETS = 64;

    @Test
    void the_shares_of_the_live_relays_cover_every_bucket_and_differ_by_one_at_most() {
        List<String> live = List.of("c", "a", "b");

        assertThat(live).extracting(relay -> OutboxBuckets.share(relay, live, BUCKETS))
                .containsExactly(21, 22, 21);   // a takes the one left over: the relays sorted take turns
        assertThat(OutboxBuckets.share("a", List.of("a"), BUCKETS)).isEqualTo(BUCKETS);
        assertThatThrownBy(() -> OutboxBuckets.share("d", live, BUCKETS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d");
    }

    @Test
    void a_relay_alone_takes_every_free_bucket() {
        OutboxBuckets.Plan plan = OutboxBuckets.plan("a", List.of("a"), free(), NOW);

        assertThat(plan.hold()).hasSize(BUCKETS);
        assertThat(plan.release()).isEmpty();
    }

    @Test
    void a_relay_above_its_share_lets_the_excess_go_and_keeps_the_rest() {
        Map<Integer, OutboxBuckets.Lease> leases = leasesHeldBy("a", NOW.plusSeconds(10));

        OutboxBuckets.Plan plan = OutboxBuckets.plan("a", List.of("a", "b"), leases.values(), NOW);

        assertThat(plan.hold()).hasSize(32);
        assertThat(plan.release()).hasSize(32).doesNotContainAnyElementsOf(plan.hold());
    }

    @Test
    void a_relay_never_takes_a_bucket_whose_lease_runs_but_takes_one_whose_lease_lapsed() {
        Map<Integer, OutboxBuckets.Lease> running = leasesHeldBy("a", NOW.plusMillis(1));
        Map<Integer, OutboxBuckets.Lease> lapsed = leasesHeldBy("a", NOW);

        assertThat(OutboxBuckets.plan("b", List.of("a", "b"), running.values(), NOW).hold()).isEmpty();
        assertThat(OutboxBuckets.plan("b", List.of("b"), lapsed.values(), NOW).hold())
                .as("the buckets of a relay that died, once their lease lapsed").hasSize(BUCKETS);
    }

    @Test
    void relays_settle_on_a_split_of_every_bucket_after_a_join_and_after_a_death() {
        Map<Integer, OutboxBuckets.Lease> leases = new LinkedHashMap<>();
        free().forEach(lease -> leases.put(lease.bucket(), lease));
        List<String> live = new ArrayList<>(List.of("a"));
        renewInTurns(leases, live, 1);
        assertThat(heldBy(leases, "a")).hasSize(BUCKETS);

        live.addAll(List.of("b", "c"));   // two join
        renewInTurns(leases, live, 3);
        assertThat(live).allSatisfy(relay -> assertThat(heldBy(leases, relay))
                .hasSize(OutboxBuckets.share(relay, live, BUCKETS)));

        live.remove("b");   // b dies: its leases run on until they lapse
        renewInTurns(leases, live, 2);
        assertThat(heldBy(leases, "b")).as("held until the lease lapses").hasSize(21);
        renewInTurns(leases, live, 2, NOW.plusSeconds(60));
        assertThat(heldBy(leases, "a")).hasSize(32);
        assertThat(heldBy(leases, "c")).hasSize(32);
    }

    /**
     * {@code rounds} renewals of every live relay in turn, each applying its plan as a store does: it lets
     * go of its release, and gets those of its hold that are still its own or free.
     */
    private static void renewInTurns(Map<Integer, OutboxBuckets.Lease> leases, List<String> live, int rounds) {
        renewInTurns(leases, live, rounds, NOW);
    }

    private static void renewInTurns(Map<Integer, OutboxBuckets.Lease> leases, List<String> live, int rounds,
                                     Instant now) {
        for (int round = 0; round < rounds; round++) {
            for (String relay : live) {
                OutboxBuckets.Plan plan = OutboxBuckets.plan(relay, live, leases.values(), now);
                plan.release().forEach(bucket -> leases.put(bucket, new OutboxBuckets.Lease(bucket, null, Instant.EPOCH)));
                for (int bucket : plan.hold()) {
                    OutboxBuckets.Lease lease = leases.get(bucket);
                    assertThat(relay.equals(lease.relay()) || lease.isFreeFor(relay, now))
                            .as("%s takes bucket %d only when it is free", relay, bucket).isTrue();
                    leases.put(bucket, new OutboxBuckets.Lease(bucket, relay, now.plusSeconds(10)));
                }
            }
        }
        Set<Integer> every = new HashSet<>();
        leases.values().forEach(lease -> assertThat(every.add(lease.bucket())).isTrue());
    }

    private static List<Integer> heldBy(Map<Integer, OutboxBuckets.Lease> leases, String relay) {
        return leases.values().stream().filter(lease -> relay.equals(lease.relay()))
                .map(OutboxBuckets.Lease::bucket).toList();
    }

    private static List<OutboxBuckets.Lease> free() {
        List<OutboxBuckets.Lease> leases = new ArrayList<>();
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            leases.add(new OutboxBuckets.Lease(bucket, null, Instant.EPOCH));
        }
        return leases;
    }

    private static Map<Integer, OutboxBuckets.Lease> leasesHeldBy(String relay, Instant until) {
        Map<Integer, OutboxBuckets.Lease> leases = new LinkedHashMap<>();
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            leases.put(bucket, new OutboxBuckets.Lease(bucket, relay, until));
        }
        return leases;
    }
}
