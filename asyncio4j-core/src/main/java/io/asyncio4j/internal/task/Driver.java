package io.asyncio4j.internal.task;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.StepMonitor;

/**
 * How a loop runs its coroutines: the coroutine scheduler layer. A task's coroutine is a virtual
 * thread; the driver starts it, hands it the loop's thread for one step at a time, and takes the
 * thread back when it suspends. Two implementations keep the same semantics: {@link FastDriver}
 * (virtual threads whose scheduler is the loop) and {@link CompatDriver} (a baton passed between
 * the loop thread and default-scheduler virtual threads). The core test suite runs on both.
 */
abstract class Driver {
    final EventLoopImpl loop;

    Driver(EventLoopImpl loop) {
        this.loop = loop;
    }

    /** Creates the task's coroutine and queues its first step at the back of the ready queue. */
    abstract void start(TaskImpl<?> t);

    /**
     * Runs the task's first step before the caller goes on: at once from a loop callback, or, from
     * another task, by suspending that task until the new one has suspended or finished.
     */
    abstract void startEager(TaskImpl<?> t);

    /** Runs the task's next step now; loop thread, outside any task. In debug mode, names it. */
    final void resume(TaskImpl<?> t) {
        if (!loop.getDebug()) {
            runNow(t);
            return;
        }
        StepMonitor steps = loop.steps();
        TaskImpl<?> previous = steps.beginStep(t);
        try {
            runNow(t);
        } finally {
            steps.endStep(previous);
        }
    }

    /** Runs the task's next step now, without bookkeeping; see {@link #resume}. */
    abstract void runNow(TaskImpl<?> t);

    /** {@return a ready-queue entry that resumes the suspended task} */
    abstract Object resumeEntry(TaskImpl<?> t);

    /** On the task's own thread: gives the loop its thread back until the task is resumed. */
    abstract void suspend(TaskImpl<?> t);

    /** On the task's own thread: queues the task at the back of the ready queue and suspends. */
    abstract void yieldNow(TaskImpl<?> t);

    /** On the task's own thread, before the body runs. */
    void bodyStarting(TaskImpl<?> t) {
    }

    /** On the task's own thread, after the task completed. */
    void bodyFinished(TaskImpl<?> t) {
    }

    /** {@return "fast" or "compat"} */
    abstract String name();

    /**
     * Reads the stack of a task that is not running; the calling thread is any.
     *
     * @param t the task, started
     * @return its virtual thread's frames
     */
    StackTraceElement[] stackOf(TaskImpl<?> t) {
        return t.thread.getStackTrace();
    }

    static IllegalStateException pinned(TaskImpl<?> t) {
        return new IllegalStateException(t + " cannot suspend here: its virtual thread is pinned to the loop "
                + "thread (inside a class initializer or a native frame). Move the await out of that code.");
    }
}
