package io.asyncio4j.sync;

/**
 * A semaphore that refuses to be released more times than it was acquired: asyncio's
 * {@code BoundedSemaphore}. Releasing it while all its permits are free is a bug in the caller,
 * reported at once instead of silently raising the count.
 *
 * {@snippet :
 * BoundedSemaphore slots = new BoundedSemaphore(3);
 * try (var _ = slots.acquire()) {
 *     work();
 * }
 * slots.release();   // IllegalStateException: BoundedSemaphore released too many times
 * }
 *
 * <p>asyncio raises {@code ValueError}; this raises {@link IllegalStateException}, Java's exception
 * for a call that the object's current state forbids: {@code release()} has no argument that
 * could be wrong (the {@link IllegalArgumentException} reading of {@code ValueError}), only a count
 * that is already at its bound.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /**
     * Creates a bounded semaphore with a number of permits, which is also its bound.
     *
     * @param value the initial and maximal number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back, handing it to the first waiting task if any. Never suspends.
     *
     * @throws IllegalStateException if all permits are already free ("BoundedSemaphore released
     *     too many times")
     */
    @Override
    public void release() {
        // a permit handed to a woken waiter already left value, so value counts only free permits
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times");
        }
        super.release();
    }
}
