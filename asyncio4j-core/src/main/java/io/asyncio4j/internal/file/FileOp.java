package io.asyncio4j.internal.file;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.Waitable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Implementation overview
 *
 * Why: a file system call blocks its thread, and a task is a virtual thread mounted on the loop
 * thread (fast driver) or holding the loop's baton (compat driver): a FileChannel.read inside a
 * task would hold the whole loop. So each call runs on a thread of FilePool while the task parks.
 *
 * One operation: the task checks for cancellation, submits this op to the pool and parks on it
 * (this is its Waitable). The pool thread runs the call, stores `result`/`error`, swaps `state`
 * RUNNING -> DONE and hands `wakeTask` to the loop with callSoonThreadsafe; the loop wakes the
 * task, which reads the outcome (the inbox hand-off orders the plain fields).
 *
 * Cancellation is deferred: a thread inside a system call cannot be stopped safely (interrupting
 * it closes the channel), so cancelWaiter refuses, the task stays parked until the call ends,
 * and park() then throws the pending cancellation (a CancelledError, or the TimeoutError of a
 * scope). The caller learns the call's outcome first (Outcomes.kept), so an open file's
 * position and buffers account for what the call did. The exception: an op marked interruptible
 * (FIFOs and devices, whose calls may block for ever) is abandoned instead: state RUNNING ->
 * ABANDONED, the task wakes at once with its cancellation, and whatever the call returns later is
 * passed to Outcomes.discard on the pool thread (an opened channel is closed there).
 *
 *   RUNNING --call ends--> DONE --loop turn--> task resumes (result, error, or the cancellation)
 *      |
 *      +--cancelled while interruptible--> ABANDONED (task resumes cancelled; result discarded)
 *
 * Threads: `task`, Outcomes.kept/abandoned and the outcome's use belong to the loop thread; `call`, `result`,
 * `error` are written by the pool thread before the DONE swap; `interruptible` may be set by the
 * call itself (from the pool thread) once it knows it faces a FIFO.
 */

/**
 * One blocking file system call run on the file threads while the calling task parks.
 *
 * @param <R> the call's result type
 */
public final class FileOp<R> implements Runnable, Waitable {

    /**
     * A blocking file system call.
     *
     * @param <R> the result type
     */
    @FunctionalInterface
    public interface Call<R> {
        /**
         * Makes the call, on a file thread.
         *
         * @param op the operation, to {@linkplain FileOp#markInterruptible() mark it interruptible}
         * @return the result
         * @throws Exception the call's failure, rethrown to the task as it is
         */
        R call(FileOp<R> op) throws Exception;
    }

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int ABANDONED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(FileOp.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Call<R> call;
    private final EventLoopImpl loop;
    private final TaskImpl<?> task;
    private final Outcomes<? super R> outcomes;
    private final Runnable wakeTask = this::wakeTask;
    private volatile int state;
    private volatile boolean interruptible;
    /** Whether a cancellation was refused (deferred) while the op was not yet interruptible. */
    private volatile boolean cancelDeferred;
    /** Whether the call runs on a thread of its own; written before each hand-off to a pool. */
    private volatile boolean special;
    private R result;
    private Throwable error;

    private FileOp(TaskImpl<?> task, Call<R> call, boolean interruptible, Outcomes<? super R> outcomes) {
        this.task = task;
        this.loop = task.loop();
        this.call = call;
        this.interruptible = interruptible;
        this.outcomes = outcomes;
    }

    /**
     * Runs a call on the file threads and waits for it; what a cancellation meanwhile does is the
     * class's rule (deferred until the call ends, unless the op is interruptible). Suspends;
     * checks for cancellation.
     *
     * @param <R> the result type
     * @param what the operation's name, for the error outside a task
     * @param call the call
     * @return its result
     */
    public static <R> R execute(String what, Call<R> call) {
        return execute(what, call, false, null);
    }

    /**
     * What becomes of a call's result when its task is cancelled while the call runs; every
     * method does nothing by default.
     *
     * @param <R> the result type
     */
    public interface Outcomes<R> {
        /**
         * The call ended while its task was being cancelled (the cancellation is thrown next):
         * account for what it did. Loop thread.
         *
         * @param result the call's result
         */
        default void kept(R result) {
        }

        /** The call was abandoned by the cancellation and may still run. Loop thread. */
        default void abandoned() {
        }

        /**
         * An abandoned call (or one whose loop closed) ended: release its result. A file thread.
         *
         * @param result the call's result, never null
         */
        default void discard(R result) {
        }
    }

    /**
     * Runs a call on the file threads and waits for it. Suspends; checks for cancellation before
     * the call starts, and delivers one that arrives while it runs after the call ended (having
     * told {@code outcomes}), or at once for an interruptible op.
     *
     * @param <R> the result type
     * @param what the operation's name, for the error outside a task
     * @param call the call
     * @param interruptible whether a cancellation abandons the call instead of waiting for it
     * @param outcomes what to do with the result of an interrupted call, or null to drop it
     * @return the call's result
     */
    public static <R> R execute(String what, Call<R> call, boolean interruptible, Outcomes<? super R> outcomes) {
        TaskImpl<?> task = TaskImpl.currentOrThrow(what);
        task.checkpointBeforeSuspend();
        FileOp<R> op = new FileOp<>(task, call, interruptible, outcomes);
        if (interruptible) {
            op.special = true;
            FilePool.executeSpecial(op);
        } else {
            FilePool.execute(op);
        }
        return op.await();
    }

    /**
     * Runs a blocking call that is not a file call on threads of the caller's, with the same
     * deferred cancellation (the call ends, {@code outcomes} learns its result, then the
     * cancellation is thrown): for starting a child process, say. Suspends; checks for
     * cancellation.
     *
     * @param <R> the result type
     * @param pool the threads
     * @param what the operation's name, for the error outside a task
     * @param call the call
     * @param outcomes what to do with the result of an interrupted call, or null
     * @return the call's result
     */
    public static <R> R executeOn(java.util.concurrent.Executor pool, String what, Call<R> call,
            Outcomes<? super R> outcomes) {
        TaskImpl<?> task = TaskImpl.currentOrThrow(what);
        task.checkpointBeforeSuspend();
        FileOp<R> op = new FileOp<>(task, call, false, outcomes);
        op.special = true; // markInterruptible does not move it: it has its own threads
        pool.execute(op);
        return op.await();
    }

    /**
     * Called by a call that finds it faces a file whose calls may block for ever (a FIFO, a
     * device): from now on a cancellation abandons the op, and unless the call already runs on a
     * thread of its own, it ends here and runs again, from its start, on one (so that it can
     * never hold a thread of the bounded pool for ever). A file thread.
     */
    public void markInterruptible() {
        interruptible = true;
        if (cancelDeferred) {
            // a cancellation came before the call knew it may block for ever: abandon it now
            try {
                loop.callSoonThreadsafe(this::abandonForDeferredCancel);
            } catch (IllegalStateException loopClosed) {
                // nobody waits any more
            }
        }
        if (!special) {
            throw MOVE;
        }
    }

    /** Unwinds a call that must move to a thread of its own; never escapes {@link #run()}. */
    private static final class Move extends Error {
        Move() {
            super("moves a file call to a thread of its own", null, false, false);
        }
    }

    private static final Move MOVE = new Move();

    private R await() {
        Throwable interrupted = null;
        // Handing the op to a pool may itself suspend the task inside the JDK (a contended lock
        // of the pool's queue unmounts the virtual thread and the loop runs other callbacks): the
        // call can end and its wake-up run before the task parks, and find it not parked. So a
        // call already over posts a wake-up of its own for the next loop turn; the task still
        // suspends once, as for any call (other tasks run, a cancellation meanwhile is delivered).
        // Between this check and the park nothing else runs on the loop, so a call ending now
        // posts its own wake-up, which finds the task parked. A second wake-up finds the task no
        // longer parked on this op and does nothing.
        if (state != RUNNING) {
            loop.enqueue(wakeTask);
        }
        loop.expectOutsideCompletion(); // a file thread will wake the task: the loop is not deadlocked
        try {
            task.park(this);
        } catch (Throwable t) {
            interrupted = t;
        } finally {
            loop.outsideCompletionArrived();
        }
        if (interrupted != null) {
            if (state == ABANDONED) {
                if (outcomes != null) {
                    outcomes.abandoned();
                }
            } else if (error == null) {
                if (outcomes != null) {
                    outcomes.kept(result);
                }
            } else if (error != interrupted) {
                interrupted.addSuppressed(error);
            }
            throw Sneaky.rethrow(interrupted);
        }
        if (error != null) {
            throw Sneaky.rethrow(atCaller(error));
        }
        return result;
    }

    /** The pool thread's part. */
    @Override
    public void run() {
        R r = null;
        Throwable e = null;
        try {
            r = call.call(this);
        } catch (Move m) {
            special = true;
            FilePool.executeSpecial(this);
            return;
        } catch (Throwable t) {
            e = t;
        }
        result = r;
        error = e;
        if (!STATE.compareAndSet(this, RUNNING, DONE)) {
            discard(r); // abandoned meanwhile: nobody waits for it
            return;
        }
        try {
            loop.callSoonThreadsafe(wakeTask);
        } catch (IllegalStateException loopClosed) {
            discard(r);
        }
    }

    /**
     * Gives a call's exception the caller's frames: the frames of the call on the file thread up
     * to this op, then the task's own, so the trace shows which operation of whose code failed.
     */
    private static Throwable atCaller(Throwable e) {
        StackTraceElement[] theirs = e.getStackTrace();
        int cut = 0;
        while (cut < theirs.length && !(theirs[cut].getClassName().equals(FileOp.class.getName())
                && theirs[cut].getMethodName().equals("run"))) {
            cut++;
        }
        if (cut == theirs.length) {
            return e;
        }
        StackTraceElement[] mine = new Throwable().getStackTrace();
        int from = 0;
        while (from < mine.length && mine[from].getClassName().startsWith("io.asyncio4j.internal.file.")) {
            from++;
        }
        StackTraceElement[] both = new StackTraceElement[cut + mine.length - from];
        System.arraycopy(theirs, 0, both, 0, cut);
        System.arraycopy(mine, from, both, cut, mine.length - from);
        e.setStackTrace(both);
        return e;
    }

    private void discard(R r) {
        if (r != null && outcomes != null) {
            try {
                outcomes.discard(r);
            } catch (RuntimeException ignored) {
                // nothing to report it to: the result had no taker
            }
        }
    }

    private void wakeTask() {
        // only from its wait on this op: a wake-up that came before the park must not end the next wait
        if (task.isParkedOn(this)) {
            task.wake();
        }
    }

    /**
     * The task's cancellation is pending (deferred by cancelWaiter) and the call turned out
     * interruptible: abandon the op and wake the task, whose park then throws that cancellation.
     * Loop thread.
     */
    private void abandonForDeferredCancel() {
        if (task.isParkedOn(this) && STATE.compareAndSet(this, RUNNING, ABANDONED)) {
            task.wake();
        }
    }

    @Override
    public boolean cancelWaiter(TaskImpl<?> t, String message) {
        // written before interruptible is read, and markInterruptible writes interruptible before
        // reading this: one of the two sides sees the other, so no cancellation is lost
        cancelDeferred = true;
        if (interruptible && STATE.compareAndSet(this, RUNNING, ABANDONED)) {
            t.wakeCancelled(message);
            return true;
        }
        return false; // deferred: park() throws the cancellation once the call ended
    }

    @Override
    public String toString() {
        return "<FileOp " + (state == RUNNING ? "running" : state == DONE ? "done" : "abandoned") + ">";
    }
}
