package dev.allocation.adapters.http;

/**
 * What one listener serves, apart from what {@link Edge} does for every listener alike (reading, limits,
 * token, request ids, overload, the orderly stop, the access log): the answer to each request.
 */
interface Routes {

    /**
     * The answer to {@code call}, on a worker thread (it may block). A {@link ClientError} becomes its
     * status and message; the other failures are mapped by {@link Edge}.
     */
    Reply route(Call call);

    /**
     * An answer that needs no worker and is given even while the listener stops (liveness), or null. Only
     * the method and path are known: it is sent once the body, if any, has been read.
     */
    default Reply immediate(String method, String path) {
        return null;
    }

    /** Whether {@code path} (as sent) is answered without the bearer token (the health checks). */
    default boolean open(String path) {
        return false;
    }
}
