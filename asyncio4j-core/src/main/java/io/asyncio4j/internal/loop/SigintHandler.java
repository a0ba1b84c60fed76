package io.asyncio4j.internal.loop;

import java.util.concurrent.locks.LockSupport;
import io.asyncio4j.internal.task.TaskImpl;

/**
 * Ctrl-C for a run on the main thread, as asyncio.run does it: the first SIGINT cancels the main
 * task; the second, or the end of a main task cancelled by the first, gives the signal back to the
 * JVM's own handler (which exits with status 130, running shutdown hooks). Disabled with the
 * system property {@code asyncio4j.handleSigint=false}.
 */
final class SigintHandler {
    private final EventLoopImpl loop;
    private final TaskImpl<?> main;
    private Object ours;
    private Object previous;
    private volatile boolean fired;

    private SigintHandler(EventLoopImpl loop, TaskImpl<?> main) {
        this.loop = loop;
        this.main = main;
    }

    static SigintHandler install(EventLoopImpl loop, TaskImpl<?> main) {
        Thread t = Thread.currentThread();
        boolean mainThread = "main".equals(t.getName()) && t.getThreadGroup() != null
                && "main".equals(t.getThreadGroup().getName());
        if (!Signals.available() || !mainThread
                || !Boolean.parseBoolean(System.getProperty("asyncio4j.handleSigint", "true"))) {
            return null;
        }
        SigintHandler h = new SigintHandler(loop, main);
        h.ours = Signals.handler("asyncio4j SIGINT handler", h::onSignal);
        try {
            h.previous = Signals.swap("INT", h.ours);
        } catch (RuntimeException e) {
            return null;
        }
        return h;
    }

    private void onSignal() {
        if (!fired) {
            fired = true;
            try {
                loop.callSoonThreadsafe(() -> main.cancel((String) null));
                return;
            } catch (IllegalStateException closed) {
                // the loop is gone: behave as the second Ctrl-C
            }
        }
        reraise();
    }

    boolean fired() {
        return fired;
    }

    synchronized void restore() {
        if (previous != null) {
            try {
                Signals.restore("INT", ours, previous);
            } catch (RuntimeException e) {
                // nothing more to do: the handler stays installed
            }
            previous = null;
        }
    }

    /** Hands the signal to the JVM's handler and waits a little for the exit it causes. */
    void reraise() {
        restore();
        try {
            Signals.raise("INT");
        } catch (RuntimeException e) {
            return;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left); // a stale unpark permit must not end the wait early
        }
    }
}
