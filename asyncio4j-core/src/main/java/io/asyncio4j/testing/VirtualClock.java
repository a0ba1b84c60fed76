package io.asyncio4j.testing;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Runner;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.internal.Durations;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.RunnerImpl;
import io.asyncio4j.internal.loop.VirtualTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A clock for tests that moves only when told to, or, with autojump, as soon as the loop has
 * nothing else to do: trio's {@code MockClock}. A test of a one-hour timeout then takes
 * milliseconds and never flakes, since the order of events is decided by the deadlines alone.
 *
 * {@snippet :
 * VirtualClock clock = VirtualClock.autojump();
 * clock.run(() -> {
 *     try (Timeout t = timeout(Duration.ofHours(1))) {
 *         sleep(Duration.ofHours(2));              // returns at once, in virtual time
 *     } catch (TimeoutError e) {
 *         assert clock.elapsed().equals(Duration.ofHours(1));
 *     }
 * });
 * }
 *
 * <p><b>Autojump.</b> When every task of the loop is blocked and only timers remain (nothing
 * ready, no I/O ready, no call in flight on the loop's executor), the clock jumps to the nearest
 * deadline. With a threshold, the loop first waits that long in real time for I/O or calls from
 * other threads; give one (say 50 ms) when the code under test talks to real sockets whose peer is
 * another thread or process, so their bytes arrive before time jumps. Without autojump
 * ({@link #create()}), time moves only through {@link #advance(Duration)}, from a task or from any
 * other thread (which wakes the loop).
 *
 * <p>A clock drives one loop at a time. Only the loop's own time is virtual: how long a step takes
 * in debug mode, and JDK calls inside tasks ({@code Thread.sleep}, socket timeouts of blocking
 * sockets), stay in real time.
 */
public final class VirtualClock {
    private final VirtualTime time;

    private VirtualClock(long thresholdNs) {
        this.time = new VirtualTime(thresholdNs);
    }

    /** {@return a clock at time zero that moves only through {@link #advance(Duration)}} */
    public static VirtualClock create() {
        return new VirtualClock(-1);
    }

    /** {@return a clock at time zero that jumps to the next deadline as soon as the loop is idle} */
    public static VirtualClock autojump() {
        return new VirtualClock(0);
    }

    /**
     * Returns a clock at time zero that jumps to the next deadline once the loop has been idle for
     * {@code threshold} of real time.
     *
     * @param threshold the real idle time before a jump, not negative
     * @return the clock
     */
    public static VirtualClock autojump(Duration threshold) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("negative autojump threshold: " + threshold);
        }
        return new VirtualClock(Durations.toNanos(threshold));
    }

    /**
     * Runs a coroutine as the main task of a new loop on this clock, as {@code Asyncio.run} does.
     *
     * @param <T> the result type
     * @param main the coroutine
     * @return its result
     */
    public <T> T run(Callable<T> main) {
        try (RunnerImpl runner = new RunnerImpl(false, time)) {
            return runner.run(main);
        }
    }

    /**
     * Runs a coroutine that returns nothing as the main task of a new loop on this clock.
     *
     * @param main the coroutine
     */
    public void run(ThrowingRunnable main) {
        Objects.requireNonNull(main, "main");
        run(() -> {
            main.run();
            return null;
        });
    }

    /**
     * {@return a runner (asyncio's {@code Runner}) whose loop runs on this clock: several runs on
     * one loop, an exception handler set on {@code getLoop()} before the first run}
     */
    public Runner newRunner() {
        return new RunnerImpl(false, time);
    }

    /** {@return a new event loop on this clock, owned by the calling thread} */
    public EventLoop newEventLoop() {
        return new EventLoopImpl(time);
    }

    /** {@return the time on this clock, in nanoseconds: what {@code loop.time()} returns} */
    public long time() {
        return time.nanoTime();
    }

    /** {@return how much virtual time has passed since the clock was made} */
    public Duration elapsed() {
        return Duration.ofNanos(time.nanoTime());
    }

    /**
     * Moves the clock forward; timers that become due run in the loop's next iteration. Any
     * thread; never suspends.
     *
     * @param delta how far, not negative
     */
    public void advance(Duration delta) {
        time.advance(Durations.toNanos(delta));
    }

    /** {@return how many times the clock jumped to a deadline by itself (autojump)} */
    public long autojumps() {
        return time.jumps();
    }

    /** {@return the internal clock, for the test kit} */
    VirtualTime internal() {
        return time;
    }

    @Override
    public String toString() {
        return "<VirtualClock " + elapsed() + (time.thresholdNs() >= 0 ? " autojump" : "") + ">";
    }
}
