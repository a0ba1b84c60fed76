package io.asyncio4j.internal.loop;

import io.asyncio4j.TimerHandle;

/** A user callback due at a time (callLater, callAt). */
final class TimerHandleImpl extends HandleImpl implements TimerHandle {

    TimerHandleImpl(EventLoopImpl loop, Runnable callback, StackTraceElement[] source, Object[] ctx) {
        super(loop, callback, source, ctx);
    }

    @Override
    public void cancel() {
        if (isCancelled()) {
            return;
        }
        super.cancel();
        // on the loop thread the timers drop it now; from elsewhere it is skipped when due
        if (loop.onLoopThread()) {
            loop.removeTimer(this);
        }
    }

    @Override
    public long when() {
        return whenNs;
    }
}
