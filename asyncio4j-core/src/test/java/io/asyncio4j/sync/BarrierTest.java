package io.asyncio4j.sync;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.AsyncTesting.Steps;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Barrier: asyncio's rules L14 to L16, rounds, abort, reset and cancellation. A test that hangs (a
 * lost wake-up) fails after 10 s instead of stalling the suite.
 */
@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
class BarrierTest {

    /** Starts a task that waits at the barrier and returns its arrival index. */
    private static Task<Integer> party(Barrier barrier) {
        return createTask(barrier::arriveAndWait);
    }

    @Test
    void partiesBelowOneAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-3));
        assertEquals(1, new Barrier(1).parties());
    }

    @Test
    void aNewBarrierIsEmptyAndNotBroken() {
        Barrier barrier = new Barrier(3);
        assertEquals(3, barrier.parties());
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        assertEquals("<Barrier filling waiters=0/3>", barrier.toString());
    }

    @Test
    void tasksWaitUntilAllPartiesArriveAndGetTheirArrivalIndices() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = party(barrier);
            sleep(Duration.ZERO);
            Task<Integer> b = party(barrier);
            sleep(Duration.ZERO);
            assertEquals(2, barrier.nWaiting());
            assertFalse(a.isDone());
            assertFalse(b.isDone());
            int last = barrier.arriveAndWait();
            assertEquals(2, last);
            assertEquals(0, await(a));
            assertEquals(1, await(b));
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void theLastArrivalReturnsWithoutSuspendingAndReleasesTheOthersTogether() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> parties = List.of(party(barrier), party(barrier));
            sleep(Duration.ZERO);
            Steps steps = new Steps();
            Task<Void> other = createTask(() -> steps.expect(2));
            assertEquals(2, barrier.arriveAndWait());
            steps.expect(1);
            assertEquals(0, barrier.nWaiting(), "released: draining, no longer waiting");
            assertFalse(parties.get(0).isDone(), "released tasks run after the last arrival suspends");
            sleep(Duration.ZERO);
            assertTrue(parties.get(0).isDone());
            assertTrue(parties.get(1).isDone());
            await(other);
        });
    }

    @Test
    void aBarrierOfOnePartyNeverWaits() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(1);
            for (int i = 0; i < 3; i++) {
                assertEquals(0, barrier.arriveAndWait());
            }
        });
    }

    @Test
    void theBarrierIsCyclic() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            List<List<Integer>> rounds = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                rounds.add(new ArrayList<>());
            }
            List<Task<Void>> tasks = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                tasks.add(createTask(() -> {
                    for (int r = 0; r < 5; r++) {
                        rounds.get(r).add(barrier.arriveAndWait());
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                await(t);
            }
            for (List<Integer> round : rounds) {
                assertEquals(List.of(0, 1, 2), round.stream().sorted().toList());
            }
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void aTaskArrivingWhileTheBarrierReleasesARoundWaitsForTheNextRound() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = party(barrier);
            Task<Integer> b = party(barrier);
            sleep(Duration.ZERO);                        // a arrives, b arrives last and returns; a is released, not run
            assertEquals(1, await(b));
            assertFalse(a.isDone());
            assertEquals(0, barrier.nWaiting());
            Task<Integer> d = party(barrier);
            int mine = barrier.arriveAndWait();   // the round is still draining: waits for the next
            assertEquals(0, await(a));
            assertEquals(1, mine, "arrived in the next round, after d");
            assertEquals(0, await(d));
        });
    }

    // ------------------------------------------------------------------ abort and reset

    @Test
    void abortBreaksTheWaitingTasksAndLaterArrivalsUntilReset() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = party(barrier);
            Task<Integer> b = party(barrier);
            sleep(Duration.ZERO);
            barrier.abort();
            assertTrue(barrier.broken());
            BrokenBarrierError e = assertThrows(BrokenBarrierError.class, () -> await(a));
            assertEquals("Abort or reset of barrier", e.getMessage());
            assertThrows(BrokenBarrierError.class, () -> await(b));
            e = assertThrows(BrokenBarrierError.class, barrier::arriveAndWait);
            assertEquals("Barrier aborted", e.getMessage());
            assertTrue(barrier.broken());
            assertEquals(0, barrier.nWaiting());
            barrier.reset();
            assertFalse(barrier.broken());
            Task<Integer> c = party(barrier);
            Task<Integer> d = party(barrier);
            sleep(Duration.ZERO);
            assertEquals(2, barrier.arriveAndWait());
            assertEquals(0, await(c));
            assertEquals(1, await(d));
        });
    }

    @Test
    void resetWithWaitingTasksBreaksThemAndLeavesTheBarrierUsable() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = party(barrier);
            Task<Integer> b = party(barrier);
            sleep(Duration.ZERO);
            barrier.reset();
            assertFalse(barrier.broken());
            assertEquals(0, barrier.nWaiting(), "resetting: nobody counts as waiting");
            assertThrows(BrokenBarrierError.class, () -> await(a));
            assertThrows(BrokenBarrierError.class, () -> await(b));
            Task<Integer> c = party(barrier);
            Task<Integer> d = party(barrier);
            sleep(Duration.ZERO);
            assertEquals(2, barrier.arriveAndWait());
            assertEquals(0, await(c));
            assertEquals(1, await(d));
        });
    }

    @Test
    void aTaskArrivingWhileTheBarrierResetsJoinsTheNextRound() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = party(barrier);
            sleep(Duration.ZERO);
            barrier.reset();                 // a is woken to fail, but has not run yet
            Task<Integer> c = party(barrier);
            int mine = barrier.arriveAndWait();
            assertThrows(BrokenBarrierError.class, () -> await(a));
            assertEquals(1, mine);
            assertEquals(0, await(c));
        });
    }

    @Test
    void abortAndResetMayBeCalledFromACallback() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = party(barrier);
            sleep(Duration.ZERO);
            getRunningLoop().callSoon(barrier::abort);
            assertThrows(BrokenBarrierError.class, () -> await(a));
            getRunningLoop().callSoon(barrier::reset);
            sleep(Duration.ZERO);
            assertFalse(barrier.broken());
        });
    }

    @Test
    void brokenBarrierErrorIsAnIllegalStateException() {
        assertInstanceOf(IllegalStateException.class, new BrokenBarrierError("x"));
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void aTaskCancelledWhileWaitingLeavesTheBarrierWhichNeedsOneMoreArrival() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = party(barrier);
            Task<Integer> b = party(barrier);
            sleep(Duration.ZERO);
            assertEquals(2, barrier.nWaiting());
            a.cancel();
            assertThrows(CancelledError.class, () -> await(a));
            assertEquals(1, barrier.nWaiting());
            assertFalse(barrier.broken(), "a cancelled party does not break the barrier");
            Task<Integer> c = party(barrier);
            sleep(Duration.ZERO);
            assertFalse(b.isDone());
            assertEquals(2, barrier.nWaiting());
            barrier.arriveAndWait();
            await(b);
            await(c);
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void aTaskReleasedThenCancelledBeforeItRunsThrowsAndTheOthersProceed() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = party(barrier);
            Task<Integer> b = party(barrier);
            sleep(Duration.ZERO);
            assertEquals(2, barrier.arriveAndWait());
            a.cancel();                      // released, then cancelled before it ran
            assertThrows(CancelledError.class, () -> await(a));
            assertEquals(1, await(b));
            assertEquals(0, barrier.nWaiting());
            // the round ended: the barrier fills again
            Task<Integer> c = party(barrier);
            Task<Integer> d = party(barrier);
            sleep(Duration.ZERO);
            assertEquals(2, barrier.arriveAndWait());
            assertEquals(0, await(c));
            assertEquals(1, await(d));
        });
    }

    @Test
    void aTaskCancelledWhileWaitingForTheNextRoundLeavesNoTrace() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = party(barrier);
            Task<Integer> b = party(barrier);
            Task<Integer> late = party(barrier);
            sleep(Duration.ZERO);                        // a waits, b trips the barrier, late waits for the next round
            assertFalse(late.isDone());
            late.cancel();
            assertThrows(CancelledError.class, () -> await(late));
            assertEquals(0, await(a));
            assertEquals(1, await(b));
            assertEquals(0, barrier.nWaiting());
            Task<Integer> c = party(barrier);
            sleep(Duration.ZERO);
            assertEquals(1, barrier.nWaiting());
            assertEquals(1, barrier.arriveAndWait());
            assertEquals(0, await(c));
        });
    }

    @Test
    void aTimeoutWhileWaitingThrowsTimeoutErrorAndTheTaskLeaves() {
        AsyncTesting.runVirtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = createTask(() -> {
                try (var _ = timeout(Duration.ofMillis(5))) {
                    return barrier.arriveAndWait();
                }
            });
            assertThrows(TimeoutError.class, () -> await(a));
            assertEquals(0, barrier.nWaiting());
            Task<Integer> b = party(barrier);
            sleep(Duration.ZERO);
            assertEquals(1, barrier.arriveAndWait());
            assertEquals(0, await(b));
        });
    }

    // ------------------------------------------------------------------ loops

    @Test
    void aBarrierThatMadeATaskWaitOnOneLoopRefusesWaitersOfAnotherLoop() {
        Barrier barrier = new Barrier(2);
        AsyncTesting.runVirtual(() -> {
            Task<Integer> a = party(barrier);
            sleep(Duration.ZERO);
            barrier.arriveAndWait();
            await(a);
        });
        AsyncTesting.runVirtual(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, barrier::arriveAndWait);
            assertEquals("<Barrier filling waiters=0/2> is bound to a different event loop", e.getMessage());
            assertEquals(0, barrier.nWaiting(), "the refused task left the barrier");
        });
    }
}
