package io.asyncio4j.observe;

/** What kind of thing a task waits on, in a {@link WaitInfo}. */
public enum WaitKind {
    /** Nothing: the task is ready, running or done. */
    NOTHING,
    /** Another task ({@code await(task)}). */
    TASK,
    /** A gather of futures; the tasks among them are {@link WaitInfo#taskIds()}. */
    GATHER,
    /** A future that is not a task (made with {@code createFuture}, a shield, a wait). */
    FUTURE,
    /** The children of a task group it is closing. */
    TASK_GROUP,
    /** A sleep, until a time on the loop's clock. */
    SLEEP,
    /** A {@code Lock}; its holder, if any, is the one element of {@link WaitInfo#taskIds()}. */
    LOCK,
    /** An {@code Event}. */
    EVENT,
    /** A {@code Condition}. */
    CONDITION,
    /** A {@code Semaphore} or {@code BoundedSemaphore}. */
    SEMAPHORE,
    /** A {@code Barrier}. */
    BARRIER,
    /** A queue's getters, putters or joiners. */
    QUEUE,
    /** Another waiter list of the runtime: a stream reader, a writer's drain, a server closing. */
    PRIMITIVE,
    /** A channel becoming readable or writable ({@code sock*}, connect, accept). */
    IO,
    /** A JDK blocking call; the description names the call. */
    JDK_CALL,
    /** Something else; the description says what. */
    OTHER
}
