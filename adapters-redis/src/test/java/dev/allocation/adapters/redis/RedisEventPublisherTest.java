package dev.allocation.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.allocation.testing.LocalRedis;
import dev.allocation.testing.RedisPerTest;
import dev.allocation.domain.events.Allocated;
import dev.allocation.domain.events.Deallocated;
import dev.allocation.domain.events.OutOfStock;
import io.lettuce.core.AclSetuserArgs;
import dev.allocation.application.outbox.PermanentPublishFailure;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The publisher against the local Redis server, heard by a subscriber of the tests' own; connecting as an ACL user. */
class RedisEventPublisherTest {

    @RegisterExtension
    final RedisPerTest redisPerTest = new RedisPerTest();
    private LocalRedis redis;
    private RedisBroker broker;

    @BeforeEach
    void connect() {
        redis = redisPerTest.local();
        broker = redisPerTest.closing(RedisBroker.connect(redis.url));
    }

    @Test
    void an_allocation_is_published_on_line_allocated_as_the_reference_service_does() throws InterruptedException {
        BlockingQueue<String> received = redis.listen(RedisBroker.LINE_ALLOCATED);
        String order = "order-" + UUID.randomUUID();

        broker.publisher().publish(new Allocated(order, "LAMP", 3, "batch-1"));

        assertThat(nextAbout(received, order))
                .isEqualTo("{\"orderid\":\"" + order + "\",\"sku\":\"LAMP\",\"qty\":3,\"batchref\":\"batch-1\"}");
    }

    @Test
    void events_other_than_allocated_stay_inside_the_service() throws InterruptedException {
        BlockingQueue<String> received = redis.listen(RedisBroker.LINE_ALLOCATED);
        String order = "order-" + UUID.randomUUID();

        broker.publisher().publish(new Deallocated(order, "LAMP", 3));
        broker.publisher().publish(new OutOfStock("LAMP-" + order));
        broker.publisher().publish(new Allocated(order, "LAMP", 3, "batch-2"));

        assertThat(nextAbout(received, order)).contains("\"batchref\":\"batch-2\"");
    }

    @Test
    void an_allocation_is_also_appended_to_the_line_allocated_stream_with_its_event_id() {
        broker.publisher().publish("event-1", new Allocated("o1", "LAMP", 3, "batch-1"));
        broker.publisher().publish("event-2", new Allocated("o2", "LAMP", 1, "batch-1"));
        broker.publisher().publish("event-3", new OutOfStock("LAMP"));

        List<StreamMessage<String, String>> entries = redis.commands().xrange(RedisBroker.LINE_ALLOCATED,
                Range.create("-", "+"));
        assertThat(entries).extracting(StreamMessage::getBody).containsExactly(
                Map.of("orderid", "o1", "sku", "LAMP", "qty", "3", "batchref", "batch-1", "event_id", "event-1"),
                Map.of("orderid", "o2", "sku", "LAMP", "qty", "1", "batchref", "batch-1", "event_id", "event-2"));
    }

    @Test
    void a_url_with_a_user_and_a_password_connects_as_that_user() {
        String user = "allocation-test-" + UUID.randomUUID();
        String password = "p@ss:" + UUID.randomUUID();
        redis.commands().aclSetuser(user, AclSetuserArgs.Builder.on().addPassword(password)
                .allKeys().allChannels().allCommands());
        try (RedisBroker asUser = RedisBroker.connect(redis.url.replace("redis://", "redis://" + user + ":"
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@"))) {
            asUser.publisher().publish("event-as-user", new Allocated("o-user", "LAMP", 2, "batch-1"));

            assertThat(redis.commands().xrange(RedisBroker.LINE_ALLOCATED, Range.create("-", "+")))
                    .extracting(entry -> entry.getBody().get("event_id")).containsExactly("event-as-user");
            assertThat(redis.commands().aclLog()).noneMatch(entry -> user.equals(entry.get("username")));
        } finally {
            redis.commands().aclDeluser(user);
        }
    }

    @Test
    void a_wrong_password_is_refused_at_connect_saying_so_without_the_password() {
        String user = "allocation-test-" + UUID.randomUUID();
        redis.commands().aclSetuser(user, AclSetuserArgs.Builder.on().addPassword("right")
                .allKeys().allChannels().allCommands());
        try {
            assertThatThrownBy(() -> RedisBroker.connect(
                    redis.url.replace("redis://", "redis://" + user + ":wrong@")).close())
                    // the reason is the server's (WRONGPASS, or the connection it closed right after): where, never how
                    .hasMessageStartingWith("Cannot connect to Redis at " + redis.url + ": ")
                    .hasMessageNotContaining("wrong@");
        } finally {
            redis.commands().aclDeluser(user);
        }
    }

    @Test
    void an_allocation_cannot_be_published_while_line_allocated_holds_another_type_and_that_is_permanent() {
        redis.commands().set(RedisBroker.LINE_ALLOCATED, "not a stream");
        Allocated allocated = new Allocated("o-wrongtype", "LAMP", 1, "batch-1");

        assertThatThrownBy(() -> broker.publisher().publish("event-wrongtype", allocated))
                .isInstanceOf(PermanentPublishFailure.class)
                .hasMessageContaining("WRONGTYPE")
                .hasCauseInstanceOf(RedisCommandExecutionException.class);
        assertThat(broker.publisher().publishAsync("event-wrongtype", allocated)).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(PermanentPublishFailure.class);
    }

    @Test
    void an_allocation_the_user_may_not_append_to_the_stream_fails_permanently() {
        assertPermanentFor(AclSetuserArgs.Builder.keyPattern("other:*").allChannels(), "NOPERM");
    }

    @Test
    void an_allocation_the_user_may_not_publish_on_the_channel_fails_permanently_though_the_stream_took_it() {
        assertPermanentFor(AclSetuserArgs.Builder.allKeys().channelPattern("other:*"), "NOPERM");
    }

    @Test
    void a_publish_while_redis_cannot_be_reached_fails_but_not_permanently() throws Exception {
        Allocated allocated = new Allocated("o-away", "LAMP", 1, "batch-1");
        try (Forwarder forwarder = new Forwarder(6379);
             RedisBroker through = RedisBroker.connect(redis.urlThrough(forwarder.port()))) {
            through.publisher().publish("event-before", allocated);

            forwarder.close();   // the connection is cut and the port closed: Lettuce cannot reconnect

            assertThatThrownBy(() -> through.publisher().publish("event-cut", allocated))
                    .isNotInstanceOf(PermanentPublishFailure.class);
            assertThat(through.publisher().publishAsync("event-away", allocated)).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .satisfies(failure -> assertThat(failure.getCause()).isNotInstanceOf(PermanentPublishFailure.class));
        }
    }

    /** A user with every command and {@code rights}: an allocation it publishes fails permanently, naming {@code code}. */
    private void assertPermanentFor(AclSetuserArgs rights, String code) {
        String user = "allocation-test-" + UUID.randomUUID();
        redis.commands().aclSetuser(user, rights.on().addPassword("pw").allCommands());
        try (RedisBroker asUser = RedisBroker.connect(redis.url.replace("redis://", "redis://" + user + ":pw@"))) {
            Allocated allocated = new Allocated("o-denied", "LAMP", 1, "batch-1");

            assertThatThrownBy(() -> asUser.publisher().publish("event-denied", allocated))
                    .isInstanceOf(PermanentPublishFailure.class)
                    .hasMessageContaining(code)
                    .hasCauseInstanceOf(RedisCommandExecutionException.class);
            assertThat(asUser.publisher().publishAsync("event-denied", allocated)).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(PermanentPublishFailure.class);
        } finally {
            redis.commands().aclDeluser(user);
        }
    }

    /** The next message about this order (other tests may publish on the same server). */
    private static String nextAbout(BlockingQueue<String> received, String order) throws InterruptedException {
        while (true) {
            String message = received.poll(5, TimeUnit.SECONDS);
            assertThat(message).as("a message about " + order).isNotNull();
            if (message.contains(order)) {
                return message;
            }
        }
    }
}
