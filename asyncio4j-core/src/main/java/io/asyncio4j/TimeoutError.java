package io.asyncio4j;

import java.io.Serial;

/**
 * Thrown when an operation runs past its deadline: the Java form of asyncio's {@code TimeoutError}.
 *
 * <p>It is an ordinary unchecked exception, distinct from {@link CancelledError}, so that a
 * {@code catch (Exception e)} around a call that may time out handles it as asyncio's
 * {@code except Exception} does. {@link Asyncio#waitFor}, {@link Asyncio#timeout} scopes and
 * {@link Asyncio#asCompleted} throw it.
 *
 * <p>A {@link Timeout} scope delivers its expiry as this exception at the suspension point where
 * the task was interrupted, not as a {@code CancelledError} converted at the scope's exit as
 * asyncio does: Java's try-with-resources cannot replace the exception leaving its block. The
 * result outside the scope is the same as asyncio's. Inside it, code that needs to clean up uses
 * {@code finally}; the scope stays expired, so every later suspension inside it throws again
 * (a body that drops the exception cannot carry on waiting): cleanup that itself suspends runs in
 * a {@link Asyncio#shieldedScope() shielded scope}. {@link #timeout()} tells which scope expired;
 * its {@linkplain #getCause() cause} is the cancellation it stands for.
 */
public class TimeoutError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The scope whose deadline passed, when a scope raised this error. */
    private final transient Timeout timeout;

    /**
     * Creates a timeout error with a message.
     *
     * @param message the detail message
     */
    public TimeoutError(String message) {
        this(message, null, null);
    }

    /**
     * Creates a timeout error raised by a timeout scope.
     *
     * @param message the detail message
     * @param timeout the scope whose deadline passed, or {@code null}
     * @param cause the cancellation this error stands for, or {@code null}
     */
    public TimeoutError(String message, Timeout timeout, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** {@return the timeout scope whose deadline passed, or {@code null} if no scope raised this error} */
    public Timeout timeout() {
        return timeout;
    }
}
