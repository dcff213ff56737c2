package dev.allocation.adapters.redis;

import dev.allocation.application.outbox.PermanentPublishFailure;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Which of Redis's failures mean that an event can never be published, for the outbox relay: those are
 * thrown as {@link PermanentPublishFailure} (the event is set aside as dead at once), every other one as
 * it came (retried for as long as it lasts). Permanent are only the server's refusals of this command:
 *
 * <ul>
 *   <li>{@code WRONGTYPE}: the key {@value RedisBroker#LINE_ALLOCATED} holds something other than a stream;</li>
 *   <li>{@code NOPERM}: the user's ACL denies the command, the key or the channel (not authorised);</li>
 *   <li>a value over the server's {@code proto-max-bulk-len} (too large): {@code ERR Protocol error:
 *       invalid bulk length}, or {@code ERR string exceeds maximum allowed size}.</li>
 * </ul>
 *
 * Everything else is transient: no connection, a lost one, a timeout, and every other error of the
 * server, for they describe the server or the connection, not the event ({@code LOADING}, {@code BUSY},
 * {@code OOM}, {@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code READONLY}, {@code MASTERDOWN},
 * {@code MISCONF}, and {@code NOAUTH}: a connection the server wants authenticated, which every event
 * would meet alike until the configuration is put right). An error unknown here is transient too:
 * the event waits in the outbox, visible in its backlog, rather than being lost to the dead ones.
 */
final class PublishFailures {

    private static final Set<String> PERMANENT_CODES = Set.of("WRONGTYPE", "NOPERM");

    private PublishFailures() {
    }

    /**
     * {@code failure} as the relay must see it: a {@link PermanentPublishFailure} with Redis's error as its
     * cause when it is permanent, else the failure itself (out of a {@link CompletionException} or
     * {@link ExecutionException}).
     *
     * @param what what failed, for the message: {@code "XADD line_allocated of event 42"}
     */
    static Throwable classify(String what, Throwable failure) {
        if (failure == null) {
            return null;
        }
        Throwable cause = unwrap(failure);
        if (cause instanceof PermanentPublishFailure || !isPermanent(cause)) {
            return cause;
        }
        return new PermanentPublishFailure("Redis refuses " + what + " for good: " + cause.getMessage(), cause);
    }

    /** Whether Redis refused the command itself, so that trying it again can never succeed. */
    static boolean isPermanent(Throwable failure) {
        if (!(unwrap(failure) instanceof RedisCommandExecutionException refused) || refused.getMessage() == null) {
            return false;
        }
        String error = refused.getMessage();
        String code = error.split(" ", 2)[0];
        return PERMANENT_CODES.contains(code)
                || error.startsWith("ERR Protocol error: invalid bulk length")
                || error.startsWith("ERR string exceeds maximum allowed size");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
