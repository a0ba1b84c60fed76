package io.asyncio4j.internal.loop;

/**
 * Where a loop reads the time: the system's monotonic clock, or a test's virtual clock
 * ({@link VirtualTime}). Everything the loop schedules (timers, deadlines, {@code loop.time()})
 * is on this clock; how long a step took (debug mode) is always measured in real time.
 */
public interface LoopClock {
    /** The system's monotonic clock, {@link System#nanoTime()}. */
    LoopClock SYSTEM = System::nanoTime;

    /** {@return the current time in nanoseconds; only differences are meaningful} */
    long nanoTime();

    /** {@return the virtual clock behind this clock, or {@code null} for a real one} */
    default VirtualTime virtual() {
        return null;
    }
}
