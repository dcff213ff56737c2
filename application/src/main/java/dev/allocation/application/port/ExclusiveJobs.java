package dev.allocation.application.port;

/**
 * Runs a job on one instance at a time among all the instances that share one storage: for work that
 * must not run twice at once, such as consuming a Redis pub/sub channel, which every subscriber receives.
 */
@FunctionalInterface
public interface ExclusiveJobs {

    /** For storage only one process can use (in memory, embedded H2): the job starts at once. */
    ExclusiveJobs ONLY_INSTANCE = (name, job) -> job.start();

    /**
     * Starts {@code job} once this instance holds the exclusive right named {@code name}, stops it if that
     * right is lost, and starts it again when it is regained.
     *
     * @return what stops the job for good and gives the right up
     */
    AutoCloseable runExclusively(String name, Job job);

    /** A job that runs until it is closed. */
    @FunctionalInterface
    interface Job {

        /** Starts the job; closing what it returns stops it, letting the work in progress finish. */
        AutoCloseable start();
    }
}
