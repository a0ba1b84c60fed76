package io.asyncio4j.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test method that runs as the main task of a fresh event loop, inside a
 * leak-checking harness ({@link AsyncioExtension}). The method may suspend anywhere; its
 * parameters may include the loop's {@link io.asyncio4j.EventLoop} and, with
 * {@link #virtualClock()}, its {@link VirtualClock}.
 *
 * {@snippet :
 * @AsyncioTest(virtualClock = true)
 * void aSlowCallTimesOutAfterAnHour(VirtualClock clock) {
 *     assertThrows(TimeoutError.class, () -> waitFor(() -> slowCall(), Duration.ofHours(1)));
 *     assertEquals(Duration.ofHours(1), clock.elapsed());       // exact, and instant
 * }
 * }
 *
 * <p>The test fails, naming what leaked, if when its method returns tasks are still running,
 * transports or servers are still open, threads it started (the loop's own executor threads
 * included) outlive the loop, or the loop reported an error nobody handled (an exception nobody
 * retrieved, a callback that threw).
 */
// JUnit comes from an optional module (requires static, not transitive): see AsyncioExtension.
@SuppressWarnings("exports")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Test
@ExtendWith(AsyncioExtension.class)
public @interface AsyncioTest {

    /** {@return whether the loop runs on a {@link VirtualClock} (injectable as a parameter)} */
    boolean virtualClock() default false;

    /**
     * {@return with a virtual clock, the real idle time in milliseconds before it jumps to the
     * next deadline; negative for no autojump (time moves only by {@code advance})}
     */
    long autojumpMillis() default 0;

    /** {@return whether the loop runs in debug mode} */
    boolean debug() default false;

    /** {@return whether leaked tasks, transports, threads and unhandled reports fail the test} */
    boolean checkLeaks() default true;

    /** {@return the real-time limit of the test in seconds: once it passes the main task is cancelled} */
    long timeoutSeconds() default 60;
}
