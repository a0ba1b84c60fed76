package io.asyncio4j.sync;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.timeout;
import static io.asyncio4j.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.AsyncTesting.Steps;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Event: asyncio's rules L6 and L16, and cancellation of waiters. A test that hangs (a lost wake-
 * up) fails after 10 s instead of stalling the suite.
 */
@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
class EventTest {

    /** Starts a task that waits for the event, then records its name. */
    private static Task<Void> waiter(Event event, String name, List<String> woken) {
        return createTask(name, () -> {
            event.waitUntilSet();
            woken.add(name);
        });
    }

    @Test
    void aNewEventIsNotSetAndSetAndClearChangeIt() {
        Event event = new Event();
        assertFalse(event.isSet());
        event.set();
        assertTrue(event.isSet());
        event.set();                         // setting a set event is harmless
        assertTrue(event.isSet());
        event.clear();
        assertFalse(event.isSet());
        event.clear();
        assertFalse(event.isSet());
    }

    @Test
    void waitingOnASetEventReturnsWithoutSuspending() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            event.set();
            Steps steps = new Steps();
            Task<Void> other = createTask(() -> steps.expect(2));
            event.waitUntilSet();
            steps.expect(1);
            await(other);
            steps.finish(2);
        });
    }

    @Test
    void setWakesEveryWaitingTaskInTheOrderTheyStartedWaiting() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            List<String> woken = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(waiter(event, "w" + i, woken));
            }
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            assertEquals(List.of(), woken, "nobody returns before set()");
            event.set();
            for (Task<Void> t : tasks) {
                await(t);
            }
            assertEquals(List.of("w0", "w1", "w2", "w3", "w4"), woken);
        });
    }

    @Test
    void waitersWokenBySetReturnEvenIfTheEventIsClearedBeforeTheyRun() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            List<String> woken = new ArrayList<>();
            Task<Void> a = waiter(event, "a", woken);
            Task<Void> b = waiter(event, "b", woken);
            sleep(Duration.ZERO);
            event.set();
            event.clear();
            await(a);
            await(b);
            assertEquals(List.of("a", "b"), woken);
            assertFalse(event.isSet());
        });
    }

    @Test
    void aClearedEventMakesLaterWaitsWaitForTheNextSet() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            event.set();
            event.clear();
            List<String> woken = new ArrayList<>();
            Task<Void> a = waiter(event, "a", woken);
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            assertFalse(a.isDone());
            event.set();
            await(a);
            assertEquals(List.of("a"), woken);
        });
    }

    @Test
    void anotherThreadSetsTheEventThroughCallSoonThreadsafe() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            EventLoop loop = getRunningLoop();
            Task<Void> a = createTask(event::waitUntilSet);
            sleep(Duration.ZERO);
            toThread(() -> loop.callSoonThreadsafe(event::set));
            await(a);
            assertTrue(event.isSet());
        });
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void aWaiterCancelledWhileWaitingThrowsAndTheOthersAreStillWoken() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            List<String> woken = new ArrayList<>();
            Task<Void> a = waiter(event, "a", woken);
            Task<Void> b = waiter(event, "b", woken);
            Task<Void> c = waiter(event, "c", woken);
            sleep(Duration.ZERO);
            b.cancel();
            sleep(Duration.ZERO);
            assertTrue(b.isCancelled());
            event.set();
            await(a);
            await(c);
            assertEquals(List.of("a", "c"), woken);
        });
    }

    @Test
    void aWaiterWokenThenCancelledBeforeItRunsThrowsAndTheOthersReturn() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            List<String> woken = new ArrayList<>();
            Task<Void> a = waiter(event, "a", woken);
            Task<Void> b = waiter(event, "b", woken);
            sleep(Duration.ZERO);
            event.set();
            assertTrue(a.cancel());
            await(b);
            assertThrows(CancelledError.class, () -> await(a));
            assertEquals(List.of("b"), woken);
        });
    }

    @Test
    void aTimeoutWhileWaitingThrowsTimeoutErrorAndLaterWaitersStillWork() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            Task<Void> a = createTask(() -> {
                try (var _ = timeout(Duration.ofMillis(5))) {
                    event.waitUntilSet();
                    fail("the event was never set");
                }
            });
            assertThrows(TimeoutError.class, () -> await(a));
            List<String> woken = new ArrayList<>();
            Task<Void> b = waiter(event, "b", woken);
            sleep(Duration.ZERO);
            event.set();
            await(b);
            assertEquals(List.of("b"), woken);
        });
    }

    // ------------------------------------------------------------------ misuse and loops

    @Test
    void waitingOutsideATaskThrows() {
        Event event = new Event();
        IllegalStateException e = assertThrows(IllegalStateException.class, event::waitUntilSet);
        assertTrue(e.getMessage().startsWith("Event.waitUntilSet() must be called from a task"), e.getMessage());
    }

    @Test
    void anEventThatMadeATaskWaitOnOneLoopRefusesWaitersOfAnotherLoop() {
        Event event = new Event();
        AsyncTesting.runVirtual(() -> {
            Task<Void> a = createTask(event::waitUntilSet);
            sleep(Duration.ZERO);
            event.set();
            await(a);
        });
        AsyncTesting.runVirtual(() -> {
            event.waitUntilSet();            // set: no waiting, allowed from any loop
            event.clear();
            IllegalStateException e = assertThrows(IllegalStateException.class, event::waitUntilSet);
            assertEquals("<Event unset> is bound to a different event loop", e.getMessage());
        });
    }

    @Test
    void toStringShowsTheStateAndTheWaiters() {
        AsyncTesting.runVirtual(() -> {
            Event event = new Event();
            Task<Void> a = createTask(event::waitUntilSet);
            sleep(Duration.ZERO);
            assertEquals("<Event unset waiters=1>", event.toString());
            event.set();
            assertEquals("<Event set>", event.toString());
            await(a);
        });
    }
}
