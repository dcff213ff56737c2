package dev.allocation.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.application.outbox.PermanentPublishFailure;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The errors a shared test server cannot be made to answer (a loading server, a replica, a full memory),
 * by the words Redis answers them with; the real refusals are in {@link RedisEventPublisherTest}.
 */
class PublishFailuresTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "WRONGTYPE Operation against a key holding the wrong kind of value",
            "NOPERM this user has no permissions to access one of the keys used as arguments",
            "NOPERM this user has no permissions to run the 'xadd' command",
            "ERR Protocol error: invalid bulk length",
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)"})
    void a_refusal_of_the_event_itself_is_permanent(String error) {
        RedisCommandExecutionException refusal = new RedisCommandExecutionException(error);

        assertThat(PublishFailures.classify("XADD line_allocated of event e1", new CompletionException(refusal)))
                .isInstanceOf(PermanentPublishFailure.class)
                .hasMessage("Redis refuses XADD line_allocated of event e1 for good: " + error)
                .hasCause(refusal);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "LOADING Redis is loading the dataset in memory",
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
            "OOM command not allowed when used memory > 'maxmemory'.",
            "TRYAGAIN Multiple keys request during rehashing of slot",
            "CLUSTERDOWN The cluster is down",
            "READONLY You can't write against a read only replica.",
            "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
            "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.",
            "NOAUTH Authentication required.",
            "ERR something no one has seen yet"})
    void an_error_of_the_server_or_the_connection_stays_transient(String error) {
        RedisCommandExecutionException failure = new RedisCommandExecutionException(error);

        assertThat(PublishFailures.classify("XADD line_allocated of event e1", new CompletionException(failure)))
                .isSameAs(failure);
    }

    @Test
    void no_connection_a_lost_one_and_a_timeout_stay_transient() {
        for (Throwable failure : new Throwable[] {new RedisException("Currently not connected. Commands are rejected."),
                new RedisException("Connection closed"), new RedisConnectionException("Connection refused"),
                new RedisCommandTimeoutException("Command timed out after 2 second(s)"), new TimeoutException()}) {
            assertThat(PublishFailures.classify("PUBLISH line_allocated of event e1", failure)).isSameAs(failure);
        }
    }
}
