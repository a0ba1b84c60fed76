package io.asyncio4j.sync;

/**
 * A lock or semaphore permit held by the caller, returned by {@code acquire()}: closing it
 * releases what was acquired, so try-with-resources plays the part of asyncio's {@code async with}.
 *
 * {@snippet :
 * try (var _ = lock.acquire()) {    // async with lock:
 *     update(shared);
 * }                                 // released, also when the block throws or is cancelled
 * }
 *
 * <p>A primitive returns the same {@code Held} from every {@code acquire()}: no object is allocated
 * per acquisition. Close it exactly once, as try-with-resources does; closing it again releases
 * again (for a {@link Lock}, an {@link IllegalStateException} if nobody holds it by then).
 */
@FunctionalInterface
public interface Held extends AutoCloseable {

    /**
     * Releases the lock or the permit: the same as calling the primitive's {@code release()}.
     * Never suspends.
     *
     * @throws IllegalStateException if the primitive refuses the release (a lock nobody holds, a
     *     bounded semaphore released too many times)
     */
    @Override
    void close();
}
