package io.asyncio4j.internal;

import io.asyncio4j.TimerHandle;

/** A callback in the timer heap (callLater, callAt). */
final class TimerHandleImpl extends TimerEntry implements TimerHandle {
    private final EventLoopImpl loop;
    private final Runnable callback;
    private volatile boolean cancelled;
    final StackTraceElement[] source;
    /** The contextvars context captured when the callback was scheduled. */
    private final Object[] ctx;

    TimerHandleImpl(EventLoopImpl loop, Runnable callback, StackTraceElement[] source, Object[] ctx) {
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
        if (cancelled) {
            return;
        }
        cancelled = true;
        // on the loop thread the heap drops it now; from elsewhere it is skipped when due
        if (loop.onLoopThread()) {
            loop.timers.remove(this);
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public long when() {
        return whenNs;
    }

    @Override
    public String toString() {
        return "<TimerHandle when=" + whenNs + " " + callback + (cancelled ? " cancelled" : "") + ">";
    }
}
