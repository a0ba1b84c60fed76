package io.asyncio4j.testing;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.timeout;
import static io.asyncio4j.Asyncio.toThread;
import static io.asyncio4j.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;
import io.asyncio4j.Timeout;
import io.asyncio4j.TimeoutError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The virtual clock: autojump, manual advance, and what it waits for before it jumps. */
class VirtualClockTest {

    @AsyncioTest(virtualClock = true)
    void anHourLongTimeoutExpiresExactlyAtItsDeadlineInNoRealTime(VirtualClock clock, EventLoop loop) {
        long realStart = System.nanoTime();
        try (Timeout t = timeout(Duration.ofHours(1))) {
            sleep(Duration.ofHours(2));
        } catch (TimeoutError e) {
            assertEquals(Duration.ofHours(1), clock.elapsed());
        }
        assertEquals(clock.time(), loop.time(), "the loop's time is the clock's");
        assertTrue(System.nanoTime() - realStart < TimeUnit.SECONDS.toNanos(5), "no real hour passed");
        assertEquals(1, clock.autojumps());
    }

    @AsyncioTest(virtualClock = true)
    void sleepersWakeInDeadlineOrderAtTheirExactDeadlines(VirtualClock clock) {
        List<String> woke = new ArrayList<>();
        List<Task<Void>> tasks = new ArrayList<>();
        for (int s : new int[] {300, 100, 200, 100}) {
            tasks.add(createTask(() -> {
                sleep(Duration.ofSeconds(s));
                woke.add(s + "s@" + clock.elapsed().toSeconds());
            }));
        }
        await(gather(tasks));
        assertEquals(List.of("100s@100", "100s@100", "200s@200", "300s@300"), woke);
    }

    @AsyncioTest(virtualClock = true)
    void theClockDoesNotJumpWhileAnExecutorCallIsInFlight(VirtualClock clock) {
        // the thread takes real time; the virtual deadline of 10 s must not pass meanwhile
        String r = waitFor(() -> toThread(() -> {
            Thread.sleep(50);
            return "done";
        }), Duration.ofSeconds(10));
        assertEquals("done", r);
        assertEquals(Duration.ZERO, clock.elapsed());
    }

    @AsyncioTest(virtualClock = true, autojumpMillis = -1)
    void withoutAutojumpTimeMovesOnlyWhenAdvanced(VirtualClock clock) throws InterruptedException {
        Task<String> sleeper = createTask(() -> {
            sleep(Duration.ofSeconds(10));
            return "woke at " + clock.elapsed().toSeconds();
        });
        Testing.waitAllTasksBlocked();
        assertFalse(sleeper.isDone());
        clock.advance(Duration.ofSeconds(9));
        Testing.waitAllTasksBlocked();
        assertFalse(sleeper.isDone(), "9 s are not enough");
        CountDownLatch advanced = new CountDownLatch(1);
        Thread.ofPlatform().start(() -> {       // another thread may move it too: the loop wakes
            clock.advance(Duration.ofSeconds(1));
            advanced.countDown();
        });
        assertEquals("woke at 10", await(sleeper));
        assertTrue(advanced.await(5, TimeUnit.SECONDS));
    }

    @AsyncioTest
    void waitAllTasksBlockedReturnsOnceEveryOtherTaskIsParked() {
        List<String> steps = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    steps.add(name + i);
                    sleep(Duration.ZERO);
                }
                sleep(Duration.ofDays(1)); // then blocked for good
            });
        }
        Testing.waitAllTasksBlocked();
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), steps);
        for (Task<?> t : io.asyncio4j.Asyncio.allTasks()) {
            if (t != io.asyncio4j.Asyncio.currentTask()) {
                t.cancel();
            }
        }
        sleep(Duration.ZERO);
    }

    @Test
    void aClockRunsAMainTaskOnItsOwnLoop() {
        VirtualClock clock = VirtualClock.autojump();
        long loopTime = clock.run(() -> {
            sleep(Duration.ofMinutes(5));
            return getRunningLoop().time();
        });
        assertEquals(Duration.ofMinutes(5).toNanos(), loopTime);
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> VirtualClock.autojump(Duration.ofMillis(-1)));
    }

    @Test
    void aClockDrivesOneLoopAtATime() {
        VirtualClock clock = VirtualClock.create();
        EventLoop first = clock.newEventLoop();
        try {
            assertThrows(IllegalStateException.class, clock::newEventLoop);
        } finally {
            first.close();
        }
        clock.newEventLoop().close(); // the first one is closed: the clock is free again
    }
}
