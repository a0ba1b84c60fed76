package io.asyncio4j.observe;

import java.io.Serial;

/**
 * Thrown by {@code Asyncio.run} (and {@code Runner.run}) when the loop's tasks wait and nothing
 * can ever wake one of them: no ready callback, timer, I/O interest, executor call, signal
 * handler or completion from another thread is pending, and no task is in a JDK blocking call
 * (Go's "all goroutines are asleep - deadlock!"; asyncio would hang). The message names the
 * tasks that wait on each other in a cycle, if any, and holds the await tree and every stack;
 * {@link #snapshot()} holds them as data. The remaining tasks are then cancelled as at the end of
 * any run.
 *
 * <p>The one wake-up the loop cannot see is a thread of the program's own that will later call
 * {@code callSoonThreadsafe}: the loop waits one second for such a call before it decides.
 * Hand work to other threads with {@code toThread} or {@code runInExecutor}, or await their
 * result as a {@code CompletableFuture} ({@code await(stage)}): the loop counts those. Or turn
 * detection off with {@code -Dasyncio4j.deadlockDetection=false}.
 */
public final class DeadlockError extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The snapshot is data for this JVM; it is not serialized. */
    private final transient LoopSnapshot snapshot;

    /**
     * Creates the error.
     *
     * @param message the report
     * @param snapshot the loop's tasks when it was detected
     */
    public DeadlockError(String message, LoopSnapshot snapshot) {
        super(message);
        this.snapshot = snapshot;
    }

    /** {@return the loop's tasks when the deadlock was detected, or {@code null} after deserialization} */
    public LoopSnapshot snapshot() {
        return snapshot;
    }
}
