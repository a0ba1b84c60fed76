package io.asyncio4j.observe;

/** Where a task is, in a {@link LoopSnapshot}. */
public enum TaskState {
    /** Created or woken, waiting for its turn in the ready queue. */
    READY,
    /** Running now: the task that took the snapshot. */
    RUNNING,
    /**
     * In a JDK blocking call that the JDK will end ({@code Thread.sleep}, blocking socket I/O, a
     * {@code java.util.concurrent} lock): the loop cannot see what it waits for.
     */
    BLOCKED,
    /** Suspended on a future, a task, a primitive, a sleep or I/O: see {@link TaskInfo#waitingOn()}. */
    WAITING,
    /** Finished (a snapshot lists live tasks, so only a task asked about by name is done). */
    DONE
}
