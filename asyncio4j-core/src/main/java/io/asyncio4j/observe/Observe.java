package io.asyncio4j.observe;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.observe.Snapshots;
import io.asyncio4j.internal.task.TaskImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The front door to seeing inside a running program: snapshots of a loop's tasks (what each
 * waits on, who awaits whom, their stacks), asyncio 3.14's call graphs, and the open loops of
 * the JVM. Nothing here costs anything until it is called.
 *
 * {@snippet :
 * Task<?> worker = createTask("worker", () -> sleep(Duration.ofSeconds(5)));
 * LoopSnapshot s = Observe.snapshot();            // in a task of the loop
 * System.out.print(s.formatTree());
 * // loop main
 * // └── #1 main (running) at Example.main(Example.java:12)
 * // └── #2 worker (ready)
 * }
 */
public final class Observe {
    private Observe() {
    }

    /**
     * Takes a snapshot of the running loop's tasks, from one of its tasks or callbacks. Never
     * suspends.
     *
     * @return the snapshot
     * @throws IllegalStateException outside a running loop
     */
    public static LoopSnapshot snapshot() {
        return Snapshots.take(EventLoopImpl.running());
    }

    /**
     * Takes a snapshot of a loop's tasks from any thread: on the loop's own thread, at its next
     * iteration (at once when called from the loop). A loop held by a blocking call answers when
     * the call ends; bound the wait with {@code orTimeout}. Never suspends.
     *
     * @param loop the loop
     * @return the snapshot, once taken; failed with an {@link IllegalStateException} if the loop
     *     is closed
     */
    public static CompletableFuture<LoopSnapshot> snapshot(EventLoop loop) {
        EventLoopImpl l = impl(loop);
        return onLoop(l, () -> Snapshots.take(l));
    }

    /**
     * Cancels a loop's task by its id (the {@link TaskInfo#id()} of a snapshot), from any thread:
     * on the loop's own thread, at its next iteration (at once when called from the loop), as
     * {@code task.cancel(message)}. A monitor's cancel button calls it. Never suspends.
     *
     * @param loop the loop
     * @param taskId the task's id
     * @param message the cancellation message, or {@code null}
     * @return whether a live task had that id and accepted the cancellation (false when none had it
     *     or it was done); failed with an {@link IllegalStateException} if the loop is closed
     */
    public static CompletableFuture<Boolean> cancelTask(EventLoop loop, long taskId, String message) {
        EventLoopImpl l = impl(loop);
        return onLoop(l, () -> {
            for (TaskImpl<?> t : l.tasks().liveTasks()) {
                if (t.taskId() == taskId) {
                    return t.cancel(message);
                }
            }
            return false;
        });
    }

    /** Runs work on the loop's thread: now when called there, else at its next iteration. */
    private static <T> CompletableFuture<T> onLoop(EventLoopImpl l, Supplier<T> work) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                cf.complete(work.get());
            } catch (Throwable e) {
                cf.completeExceptionally(e);
            }
        };
        if (l.onLoopThread() && l.isRunning()) {
            run.run();
            return cf;
        }
        try {
            l.enqueueThreadsafe(run);
        } catch (IllegalStateException closed) {
            cf.completeExceptionally(closed);
        }
        return cf;
    }

    /** {@return the event loops of this JVM that are not closed, in no particular order} */
    public static List<EventLoop> openLoops() {
        return new ArrayList<>(EventLoopImpl.openLoops());
    }

    /**
     * Captures a future's call graph (asyncio 3.14's {@code capture_call_graph}): its stack if it
     * is a task, then the graphs of the tasks awaiting it, up to the tasks nobody awaits. Call it
     * on the future's loop. Never suspends.
     *
     * @param future the future or task
     * @return the graph
     * @throws IllegalStateException if called from another thread than the future's loop's
     */
    public static CallGraph captureCallGraph(Future<?> future) {
        Objects.requireNonNull(future, "future");
        EventLoopImpl l = (EventLoopImpl) future.getLoop();
        if (!l.onLoopThread()) {
            throw new IllegalStateException("captureCallGraph must be called on the future's loop: from another "
                    + "thread, take Observe.snapshot(loop)");
        }
        return Snapshots.callGraph(future);
    }

    /**
     * Captures the current task's call graph. Never suspends.
     *
     * @return the graph
     * @throws IllegalStateException outside a task
     */
    public static CallGraph captureCallGraph() {
        return Snapshots.callGraph(TaskImpl.currentOrThrow("captureCallGraph()"));
    }

    /**
     * Prints the current task's call graph to {@code System.err} (asyncio's
     * {@code print_call_graph}). Never suspends.
     *
     * @throws IllegalStateException outside a task
     */
    public static void printCallGraph() {
        System.err.print(captureCallGraph().format());
    }

    private static EventLoopImpl impl(EventLoop loop) {
        if (loop instanceof EventLoopImpl l) {
            return l;
        }
        throw new IllegalArgumentException("not an asyncio4j event loop: " + loop);
    }
}
