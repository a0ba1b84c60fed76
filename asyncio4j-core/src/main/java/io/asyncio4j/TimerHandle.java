package io.asyncio4j;

/** A callback scheduled to run at a time on the loop's clock: asyncio's {@code TimerHandle}. */
public interface TimerHandle extends Handle {

    /** {@return when the callback is due, in nanoseconds on the loop's clock ({@link EventLoop#time()})} */
    long when();
}
