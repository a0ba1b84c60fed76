package io.asyncio4j;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A deadline for a block of code, used with try-with-resources: asyncio's {@code Timeout}, made
 * by {@link Asyncio#timeout(Duration)} and {@link Asyncio#timeoutAt(long)}.
 *
 * {@snippet :
 * try (Timeout t = timeout(Duration.ofSeconds(2))) {
 *     slowOperation();           // interrupted at its suspension point after 2 s
 * } catch (TimeoutError e) {
 *     // e.timeout() == t
 * }
 * }
 *
 * <p>When the deadline passes, the task is interrupted at its current or next suspension point
 * inside the block with a {@link TimeoutError} (see there why it is not a {@link CancelledError}
 * converted at the exit). Only the scope whose deadline passed raises: with nested scopes, the
 * outermost expired one owns the error, as in asyncio. A cancellation from outside the task wins
 * over the deadline and arrives as a {@code CancelledError}. As in asyncio, the expiry counts as a
 * cancellation request ({@link Task#cancelling()}) until the scope closes.
 */
public interface Timeout extends AutoCloseable {

    /** {@return the deadline in nanoseconds on the loop's clock, or empty for none} */
    OptionalLong when();

    /**
     * Moves the deadline. A deadline already past expires the scope in the next loop iteration.
     * Never suspends.
     *
     * @param whenNanos the new deadline on the loop's clock ({@link EventLoop#time()})
     * @throws IllegalStateException if the scope is not entered or has exited
     */
    void reschedule(long whenNanos);

    /**
     * Moves the deadline to a delay from now. Never suspends.
     *
     * @param delay the delay
     * @throws IllegalStateException if the scope is not entered or has exited
     */
    void rescheduleAfter(Duration delay);

    /**
     * Removes the deadline: the scope will not expire (asyncio's {@code reschedule(None)}). Never
     * suspends.
     *
     * @throws IllegalStateException if the scope is not entered or has exited
     */
    void removeDeadline();

    /** {@return whether the deadline passed while the scope was active} */
    boolean expired();

    /**
     * Leaves the scope: removes the deadline and withdraws the cancellation request the expiry
     * made. Never suspends.
     *
     * @throws IllegalStateException if this is not the innermost scope of the current task
     */
    @Override
    void close();
}
