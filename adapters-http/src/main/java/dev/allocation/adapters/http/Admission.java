package dev.allocation.adapters.http;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound on the requests a listener handles at once ({@link HttpConfig#threads()}) and on those that may
 * wait for one of them ({@link HttpConfig#queueCapacity()}). A request admitted at once runs on the thread
 * that read it, Jetty's, so that no hand-over to another thread stands between reading a request and
 * answering it; one that must wait is run later on a thread of {@code executor}, as soon as a running one
 * ends. Beyond both bounds it is refused, and its caller answers 503.
 */
final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    private final Semaphore running;
    private final Queue<Runnable> waiting;
    private final Executor executor;

    Admission(int running, int waiting, Executor executor) {
        this.running = new Semaphore(running);
        this.waiting = new ArrayBlockingQueue<>(waiting);
        this.executor = executor;
    }

    /**
     * Runs {@code request} now, on this thread, when fewer than the bound run; else leaves it to wait for
     * one to end. Returns false, having run nothing, when the queue of those waiting is full.
     */
    boolean run(Runnable request) {
        if (running.tryAcquire()) {
            runHolding(request);
            return true;
        }
        if (!waiting.offer(request)) {
            return false;
        }
        runWaiting();   // a running one may have ended between the two: it found nothing waiting then
        return true;
    }

    /** Runs {@code request}, which holds a permit, then hands the permit to whatever waits. */
    private void runHolding(Runnable request) {
        try {
            request.run();
        } finally {
            running.release();
            if (!waiting.isEmpty()) {
                try {
                    executor.execute(this::runWaiting);
                } catch (RejectedExecutionException e) {   // stopping: what waits is cut with its connection
                    log.debug("A waiting request was not run: {}", e.toString());
                }
            }
        }
    }

    /** Runs the next waiting request if a permit is free: whoever frees the next one tries again. */
    private void runWaiting() {
        while (running.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next != null) {
                runHolding(next);
                return;
            }
            running.release();
            if (waiting.isEmpty()) {   // else one came after the poll, and its own try failed on this permit
                return;
            }
        }
    }
}
