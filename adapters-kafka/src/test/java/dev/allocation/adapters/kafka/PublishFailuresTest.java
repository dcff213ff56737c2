package dev.allocation.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.outbox.PermanentPublishFailure;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.Test;

/**
 * The failures one local broker cannot be made to answer (an ACL, replicas, an authentication) classified
 * by their types, as the client reports them; {@link KafkaEventPublisherTest} meets a too-large record and
 * an absent broker for real.
 */
class PublishFailuresTest {

    @Test
    void refusals_of_the_record_itself_are_permanent_with_kafka_s_exception_as_the_cause() {
        for (Exception refusal : new Exception[] {new RecordTooLargeException("too large"),
                new InvalidTopicException("bad name"), new TopicAuthorizationException("denied"),
                new ClusterAuthorizationException("denied"), new SerializationException("cannot write")}) {
            Throwable classified = PublishFailures.classify("event 1 to line_allocated", new CompletionException(refusal));
            assertThat(classified).isInstanceOf(PermanentPublishFailure.class).hasCause(refusal)
                    .hasMessageStartingWith("Kafka refuses event 1 to line_allocated for good: ");
        }
    }

    @Test
    void a_refusal_deeper_in_the_cause_chain_is_permanent_too() {
        assertThat(PublishFailures.isPermanent(new KafkaException("send failed", new TopicAuthorizationException("denied"))))
                .isTrue();
    }

    @Test
    void the_broker_away_or_short_of_replicas_and_unknown_errors_are_transient_and_reported_as_they_came() {
        for (Exception failure : new Exception[] {new TimeoutException("no metadata"),
                new NotEnoughReplicasException("1 of 3 in sync"), new DisconnectException("gone"),
                new SaslAuthenticationException("bad password"), new UnknownServerException("?"),
                new IllegalStateException("producer closed")}) {
            assertThat(PublishFailures.classify("event 1", new ExecutionException(failure))).isSameAs(failure);
        }
    }
}
