package io.asyncio4j;

/**
 * How the event loops of this JVM run their tasks, and so what a blocking JDK call inside a task
 * does; see {@link Asyncio#schedulerMode()}. The choice is made once per JVM (README, "The JVM
 * option").
 */
public enum SchedulerMode {
    /**
     * Each task is a virtual thread whose scheduler is its loop: a JDK call that virtual threads
     * handle without blocking their carrier (blocking {@code java.net} sockets, {@code
     * Thread.sleep}, {@code java.util.concurrent} locks and queues) parks only the calling task
     * while the loop runs the others. Calls that pin the carrier (native code, file I/O, a class
     * initializer) still hold the loop thread.
     */
    FAST,
    /**
     * Compatibility mode (the JVM option is missing, or {@code -Dasyncio4j.scheduler=compat}):
     * tasks are virtual threads of the JDK's default scheduler taking turns with a baton, and a
     * blocking JDK call inside a task holds the baton, so it blocks the loop as a blocking call
     * in an asyncio coroutine does. Blocking work belongs on an executor ({@link
     * Asyncio#toThread}).
     */
    COMPAT
}
