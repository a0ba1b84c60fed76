package io.asyncio4j.internal.loop;

import io.asyncio4j.Handle;

/**
 * A user callback scheduled on the loop (callSoon, callSoonThreadsafe), run in the context of its
 * scheduling; {@link TimerHandleImpl} adds a deadline. It is a {@link TimerEntry} so that one class
 * serves both the ready queue and the timers.
 */
public class HandleImpl extends TimerEntry implements Handle {
    final EventLoopImpl loop;
    private final Runnable callback;
    private volatile boolean cancelled;
    private final StackTraceElement[] source;
    /** The contextvars context captured when the callback was scheduled. */
    private final Object[] ctx;

    HandleImpl(EventLoopImpl loop, Runnable callback, StackTraceElement[] source, Object[] ctx) {
        this.loop = loop;
        this.callback = callback;
        this.source = source;
        this.ctx = ctx;
    }

    @Override
    public final void run() {
        if (!cancelled) {
            loop.runCallback(callback, this, ctx);
        }
    }

    /** {@return where the callback was scheduled (debug mode), or {@code null}} */
    StackTraceElement[] source() {
        return source;
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public final boolean isCancelled() {
        return cancelled;
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName().replace("Impl", "") + " " + callback
                + (cancelled ? " cancelled" : "") + ">";
    }
}
