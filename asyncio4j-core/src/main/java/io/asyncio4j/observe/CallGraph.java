package io.asyncio4j.observe;

import io.asyncio4j.Future;
import io.asyncio4j.internal.observe.Formats;
import java.util.List;
import java.util.Objects;

/**
 * A future's call graph (asyncio 3.14's {@code FutureCallGraph}): the future, its coroutine's
 * stack if it is a task, and the call graphs of the tasks that await it, up to the tasks nobody
 * awaits. Made by {@code Asyncio.captureCallGraph}.
 *
 * @param future the future or task
 * @param name the task's name, or the future's description
 * @param callStack the coroutine's frames, innermost first (empty for a plain future)
 * @param awaitedBy the call graphs of the tasks awaiting it, directly or through a gather or a
 *     task group
 */
public record CallGraph(Future<?> future, String name, List<StackTraceElement> callStack, List<CallGraph> awaitedBy) {
    /**
     * Checks and copies the parts.
     *
     * @param future the future
     * @param name its name
     * @param callStack its frames
     * @param awaitedBy its awaiters' graphs
     */
    public CallGraph {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(name, "name");
        callStack = List.copyOf(callStack);
        awaitedBy = List.copyOf(awaitedBy);
    }

    /**
     * Formats the graph as asyncio's {@code format_call_graph} does: the future, its call stack,
     * then each awaiter indented below it.
     *
     * @return the text, lines ending in {@code \n}
     */
    public String format() {
        return Formats.callGraph(this);
    }
}
