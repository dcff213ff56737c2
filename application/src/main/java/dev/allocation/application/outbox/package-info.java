/**
 * The transactional outbox: the events that leave the service are recorded in the transaction of the
 * change that raised them, and handed to the {@link dev.allocation.application.port.EventPublisher} after
 * commit by the {@link OutboxRelay}, at least once, in commit order per sku. A store's {@link Outbox} has
 * one face per client:
 * <ul>
 *   <li>the unit of work records, at commit, the {@link OutgoingEvents} of the products it saves;</li>
 *   <li>the relay works the {@link OutboxQueue}: it claims events, and marks each published, to retry
 *       later, or dead;</li>
 *   <li>operators (the service, its admin API, its meters) use {@link OutboxOperations}: the backlog,
 *       and the dead events to list, republish or purge.</li>
 * </ul>
 *
 * <h2 id="order">Commit order per sku</h2>
 * An event of a sku reaches the publisher only after every earlier event of that sku was published, and
 * never while an earlier one is dead. Three places keep that, each doing one part:
 * <ol>
 *   <li>A claim takes an event only when every earlier pending event of its sku is taken by the same
 *       claim and none of them is dead: {@link OutboxClaim}, the one rule every store applies.</li>
 *   <li>Claims of one sku take turns, so that each sees the claims before it: a store lets one claim at
 *       a time walk and take the events of a sku (adapters-jdbc: the claims of one
 *       <a href="#buckets">bucket</a> lock its row). A claim that skipped the events another relay
 *       holds, as {@code FOR UPDATE SKIP LOCKED} alone does, could take a sku's next event while its
 *       oldest is still being published.</li>
 *   <li>The relay publishes what it claimed in rounds: the oldest claimed event of every sku at once,
 *       then the next of every sku, and so on. When an event fails, the later events of its sku are given
 *       back unpublished ({@link OutboxQueue#release}), and they wait for it to go first.</li>
 * </ol>
 *
 * <h2 id="lease">The lease</h2>
 * A claim is a lease, {@link OutboxRelay.Settings#lease()} long: the relay claims events until then
 * ({@link OutboxEvent#claimedUntil()}), and no other claim takes them before it lapses. The relay starts no
 * round of publishes past half of its lease and waits for each publish at most a lease, then marks what it
 * claimed, so a lease lapses only when its relay died or overran it; another relay then publishes those
 * events again, as at least once allows.
 *
 * <h2 id="buckets">Buckets: relays that scale out</h2>
 * A store shared by several instances may split its skus into buckets, each sku in one, so that their
 * relays work in parallel: each relay holds a lease on its share of the buckets ({@link OutboxBuckets}),
 * renews it while it runs, and claims only the events of its buckets. A relay that joins gets its share
 * as the others let their excess go; the buckets of one that stopped ({@link OutboxQueue#leave}) or died
 * are taken by the others, at once or when their lease lapses. The order per sku needs no more than the
 * three parts above: a bucket changes hands only between two claims, and events still claimed by the
 * relay that held it wait for their claim to lapse before another takes them.
 */
package dev.allocation.application.outbox;
