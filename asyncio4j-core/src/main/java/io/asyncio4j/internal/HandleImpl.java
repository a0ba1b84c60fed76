package io.asyncio4j.internal;

import io.asyncio4j.Handle;

/** A callback in the ready queue (callSoon, callSoonThreadsafe). */
final class HandleImpl implements Handle, Runnable {
    private final EventLoopImpl loop;
    private final Runnable callback;
    private volatile boolean cancelled;
    final StackTraceElement[] source;
    /** The contextvars context captured when the callback was scheduled. */
    private final Object[] ctx;

    HandleImpl(EventLoopImpl loop, Runnable callback, StackTraceElement[] source, Object[] ctx) {
        this.loop = loop;
        this.callback = callback;
        this.source = source;
        this.ctx = ctx;
    }

    @Override
    public void run() {
        if (!cancelled) {
            loop.runCallback(callback, this, ctx);
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public String toString() {
        return "<Handle " + callback + (cancelled ? " cancelled" : "") + ">";
    }
}
