package io.asyncio4j.testing;

import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.Server;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** The test kit's harness: what it lets through and what it fails, run through JUnit's own engine. */
class AsyncioExtensionTest {

    /** Tests run by the engine below, not by the build (nested classes are not scanned). */
    static class Subjects {
        @AsyncioTest
        void passes(EventLoop loop) {
            sleep(Duration.ofMillis(1));
            assertTrue(loop.isRunning());
        }

        @AsyncioTest
        void leaksATask() {
            createTask(() -> sleep(Duration.ofDays(1)));
        }

        @AsyncioTest
        void leavesAServerOpen() throws Exception {
            Server s = Streams.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            assertTrue(s.isServing());
        }

        @AsyncioTest
        void dropsAnException() {
            Future<String> f = Asyncio.createFuture();
            f.setException(new IllegalStateException("nobody reads me"));
        }

        @AsyncioTest
        void startsAThreadThatOutlivesIt() {
            Thread.ofPlatform().name("asyncio4j-test-straggler").daemon().start(() -> {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    // done
                }
            });
        }

        @AsyncioTest(checkLeaks = false)
        void mayOptOutOfTheLeakCheck() {
            createTask(() -> sleep(Duration.ofDays(1)));
        }

        @AsyncioTest(timeoutSeconds = 1)
        void hangs() {
            sleep(Duration.ofDays(1));
        }

        @AsyncioTest
        void failsAndLeaks() {
            createTask(() -> sleep(Duration.ofDays(1)));
            throw new AssertionError("the test's own failure");
        }

        @AsyncioTest
        void asksForAClockWithoutAVirtualOne(VirtualClock clock) {
            assertTrue(clock != null);
        }
    }

    private static Events run(String method, Class<?>... params) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectMethod(Subjects.class, method, params)).execute()
                .testEvents();
    }

    private static String failure(String method, Class<?>... params) {
        Events events = run(method, params);
        List<Event> failed = events.failed().list();
        assertEquals(1, failed.size(), method + " should fail: " + events.list());
        Throwable t = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable s : t.getSuppressed()) {
            sb.append(" | ").append(s.getMessage());
        }
        return sb.toString();
    }

    @Test
    void aTestThatCleansUpPassesWithTheLoopInjected() {
        run("passes", EventLoop.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void aTaskStillRunningWhenTheTestReturnsFailsItByName() {
        String m = failure("leaksATask");
        assertTrue(m.contains("a task still running"), m);
    }

    @Test
    void anOpenServerFailsTheTest() {
        String m = failure("leavesAServerOpen");
        assertTrue(m.contains("still open") && m.contains("Server"), m);
    }

    @Test
    void anExceptionNobodyRetrievedFailsTheTest() {
        String m = failure("dropsAnException");
        assertTrue(m.contains("never retrieved") && m.contains("nobody reads me"), m);
    }

    @Test
    void aThreadThatOutlivesTheLoopFailsTheTest() {
        String m = failure("startsAThreadThatOutlivesIt");
        assertTrue(m.contains("asyncio4j-test-straggler"), m);
    }

    @Test
    void theLeakCheckCanBeTurnedOff() {
        run("mayOptOutOfTheLeakCheck").assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void aHungTestIsCancelledAtItsRealTimeLimit() {
        String m = failure("hangs");
        assertTrue(m.contains("did not finish within 1 s"), m);
    }

    @Test
    void aFailingTestKeepsItsOwnFailureWithTheLeaksAttached() {
        String m = failure("failsAndLeaks");
        assertTrue(m.startsWith("the test's own failure") && m.contains("also leaked: a task still running"), m);
    }

    @Test
    void aVirtualClockParameterNeedsTheOption() {
        String m = failure("asksForAClockWithoutAVirtualOne", VirtualClock.class);
        assertTrue(m.contains("virtualClock = true"), m);
    }
}
