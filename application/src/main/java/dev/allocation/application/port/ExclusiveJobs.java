package dev.allocation.application.port;

/**
 * Runs a job on one instance at a time among all the instances that share one storage. For work that
 * must not run twice at once, such as consuming a channel that has no consumer groups (Redis pub/sub):
 * every subscriber receives every message, so with one subscriber among the instances each message is
 * applied once, and in the order it was sent.
 */
@FunctionalInterface
public interface ExclusiveJobs {

    /**
     * For storage only one process can use (in memory, an embedded H2 database): this instance is the
     * only one, and the job starts at once.
     */
    ExclusiveJobs ONLY_INSTANCE = (name, job) -> job.start();

    /**
     * Starts {@code job} once this instance holds the exclusive right named {@code name}, stops it
     * (closes what it started) if that right is lost, and starts it again when it is regained.
     *
     * @return what stops the job, for good, and gives the right up for another instance to take
     */
    AutoCloseable runExclusively(String name, Job job);

    /** A job that runs until it is closed. */
    @FunctionalInterface
    interface Job {

        /** Starts the job; closing what it returns stops it, letting the work in progress finish. */
        AutoCloseable start();
    }
}
