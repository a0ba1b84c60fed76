package io.asyncio4j.internal.task;

import java.util.concurrent.locks.LockSupport;
import io.asyncio4j.internal.loop.EventLoopImpl;

/*
 * Implementation overview
 *
 * Without access to the JDK's custom-scheduler constructor, tasks are ordinary virtual threads on
 * the default scheduler, and one coroutine at a time holds the baton: `taskTurn` of the task that
 * runs. The loop thread gives the baton to a task (resume) and blocks until the task gives it back
 * by suspending or finishing; the task blocks while the loop holds it. Same order, same semantics
 * as the fast driver, two thread hand-offs per step.
 *
 * Limit: a JDK blocking call inside a task (Thread.sleep, socket I/O, a j.u.c lock) keeps the
 * baton, so the loop waits for it, as a blocking call in an asyncio coroutine blocks its loop.
 */

/** The compatibility coroutine driver: default-scheduler virtual threads handed the loop by a baton. */
final class CompatDriver extends Driver {
    /** Busy-wait a little before parking: a hand-off is usually answered within microseconds. */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 2000 : 0;

    private final Thread.Builder.OfVirtual builder = Thread.ofVirtual();

    CompatDriver(EventLoopImpl loop) {
        super(loop);
    }

    @Override
    String name() {
        return "compat";
    }

    /** The ready-queue entry of a task, and its baton: hands it the loop thread. */
    private static final class Step implements Runnable {
        final CompatDriver driver;
        final TaskImpl<?> task;
        /** Who holds the baton: the task (true) or the loop (false). */
        volatile boolean taskTurn;
        boolean threadStarted;

        Step(CompatDriver driver, TaskImpl<?> task) {
            this.driver = driver;
            this.task = task;
        }

        @Override
        public void run() {
            driver.resume(task);
        }
    }

    private void create(TaskImpl<?> t) {
        Thread th = builder.unstarted(t);
        th.setUncaughtExceptionHandler(t);
        if (loop.getDebug()) {
            th.setName(t.getName());
        }
        t.thread = th;
        t.resume = new Step(this, t);
    }

    @Override
    void start(TaskImpl<?> t) {
        create(t);
        loop.enqueue(t.resume);
    }

    @Override
    void startEager(TaskImpl<?> t) {
        create(t);
        TaskImpl<?> parent = TaskImpl.current();
        if (parent != null) {
            EventLoopImpl l = loop;
            l.enqueueFirst(parent.resume);
            l.enqueueFirst(t.resume);
            handBack(parent);
        } else {
            resume(t);
        }
    }

    /** Gives the baton to the task and waits until it comes back; loop thread. */
    private static Step step(TaskImpl<?> t) {
        return (Step) t.resume;
    }

    @Override
    void runNow(TaskImpl<?> t) {
        Step s = step(t);
        s.taskTurn = true;
        if (!s.threadStarted) {
            s.threadStarted = true;
            t.thread.start();
        } else {
            LockSupport.unpark(t.thread);
        }
        for (int spins = SPINS; s.taskTurn && spins > 0; spins--) {
            Thread.onSpinWait();
        }
        while (s.taskTurn) {
            LockSupport.park(this);
            Thread.interrupted(); // an interrupt must not turn this wait into a spin
        }
    }

    @Override
    Object resumeEntry(TaskImpl<?> t) {
        return t.resume;
    }

    @Override
    void suspend(TaskImpl<?> t) {
        handBack(t);
    }

    private void handBack(TaskImpl<?> t) {
        Step s = step(t);
        Thread loopThread = loop.owner();
        s.taskTurn = false;
        LockSupport.unpark(loopThread);
        for (int spins = SPINS; !s.taskTurn && spins > 0; spins--) {
            Thread.onSpinWait();
        }
        while (!s.taskTurn) {
            LockSupport.park(this);
        }
    }

    @Override
    void yieldNow(TaskImpl<?> t) {
        loop.enqueue(t.resume);
        handBack(t);
    }

    @Override
    void bodyStarting(TaskImpl<?> t) {
        Step s = step(t);
        while (!s.taskTurn) {
            LockSupport.park(this);
        }
    }

    @Override
    void bodyFinished(TaskImpl<?> t) {
        Thread loopThread = loop.owner();
        step(t).taskTurn = false;
        LockSupport.unpark(loopThread);
    }
}
