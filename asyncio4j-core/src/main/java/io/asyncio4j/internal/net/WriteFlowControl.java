package io.asyncio4j.internal.net;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.internal.loop.EventLoopImpl;

/**
 * A transport's write flow control, asyncio's {@code FlowControlMixin}: the protocol is paused
 * once the buffered bytes exceed the high-water mark and resumed once they are at or below the
 * low one. A failing pause or resume callback is reported to the loop's exception handler, never
 * thrown into the transport. Loop thread only.
 */
public final class WriteFlowControl {
    /** asyncio's default high-water mark: 64 KiB (the low one is a quarter of it). */
    public static final int DEFAULT_HIGH = 64 * 1024;

    private final EventLoopImpl loop;
    private final Runnable pauseWriting;
    private final Runnable resumeWriting;
    private int high = DEFAULT_HIGH;
    private int low = DEFAULT_HIGH / 4;
    private boolean paused;

    /**
     * Creates the flow control of one transport.
     *
     * @param loop the transport's loop, for reporting callback failures
     * @param pauseWriting calls the current protocol's pauseWriting
     * @param resumeWriting calls the current protocol's resumeWriting
     */
    public WriteFlowControl(EventLoopImpl loop, Runnable pauseWriting, Runnable resumeWriting) {
        this.loop = loop;
        this.pauseWriting = pauseWriting;
        this.resumeWriting = resumeWriting;
    }

    /**
     * Sets the water marks, then pauses or resumes the protocol as the buffer now requires.
     *
     * @param high the high-water mark
     * @param low the low-water mark
     * @param buffered the bytes buffered now
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    public void setLimits(int high, int low, long buffered) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        this.high = high;
        this.low = low;
        maybePause(buffered);
        maybeResume(buffered);
    }

    /** {@return the high-water mark} */
    public int high() {
        return high;
    }

    /** {@return the low-water mark} */
    public int low() {
        return low;
    }

    /**
     * Pauses the protocol if the buffer grew above the high-water mark.
     *
     * @param buffered the bytes buffered now
     */
    public void maybePause(long buffered) {
        if (!paused && buffered > high) {
            paused = true;
            call(pauseWriting, "protocol.pauseWriting() failed");
        }
    }

    /**
     * Resumes a paused protocol if the buffer drained to the low-water mark.
     *
     * @param buffered the bytes buffered now
     */
    public void maybeResume(long buffered) {
        if (paused && buffered <= low) {
            paused = false;
            call(resumeWriting, "protocol.resumeWriting() failed");
        }
    }

    private void call(Runnable callback, String failure) {
        try {
            callback.run();
        } catch (Throwable e) {
            loop.callExceptionHandler(ExceptionContext.of(failure, e));
        }
    }
}
