package io.asyncio4j.observe;

import java.util.List;
import java.util.Objects;

/**
 * One task in a {@link LoopSnapshot}: immutable, safe to pass between threads.
 *
 * @param id the task's number, unique in the JVM (the {@code n} of its default name {@code Task-n})
 * @param name the task's name
 * @param state where the task is
 * @param waitingOn what it waits on ({@link WaitInfo#NOTHING} unless {@link TaskState#WAITING}
 *     or {@link TaskState#BLOCKED})
 * @param stack the coroutine's frames, innermost first, without the runtime's own (empty before
 *     its first step)
 * @param awaitedBy the ids of the tasks that await this one, directly or through a gather or a
 *     task group, in order
 * @param cancelling the task's pending cancellation requests ({@code Task.cancelling()})
 */
public record TaskInfo(long id, String name, TaskState state, WaitInfo waitingOn, List<StackTraceElement> stack,
        List<Long> awaitedBy, int cancelling) {
    /**
     * Checks and copies the parts.
     *
     * @param id the id
     * @param name the name
     * @param state the state
     * @param waitingOn the wait
     * @param stack the frames
     * @param awaitedBy the awaiting tasks
     * @param cancelling the pending cancellation requests
     */
    public TaskInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(waitingOn, "waitingOn");
        stack = List.copyOf(stack);
        awaitedBy = List.copyOf(awaitedBy);
    }

    /** {@return the innermost frame of the coroutine's own code, or {@code null} if it has none} */
    public StackTraceElement topFrame() {
        return stack.isEmpty() ? null : stack.getFirst();
    }
}
