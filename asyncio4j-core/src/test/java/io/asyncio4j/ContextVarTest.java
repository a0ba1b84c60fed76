package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import java.time.Duration;

/** Context variables follow asyncio's contextvars rules (ASYNCIO-SEMANTICS R1-R4, Q1). */
class ContextVarTest {

    private static final ContextVar<String> NAME = ContextVar.create("name", "none");
    private static final ContextVar<Integer> COUNT = ContextVar.create("count");

    @Test
    void aTaskStartsWithACopyOfItsCreatorsContext() {
        String seen = AsyncTesting.run(() -> {
            NAME.set("parent");
            Task<String> child = createTask(() -> NAME.get());
            NAME.set("changed after creation");
            return await(child);
        });
        assertEquals("parent", seen);
    }

    @Test
    void aValueSetInAChildIsInvisibleToItsParentAndSiblings() {
        List<String> seen = AsyncTesting.run(() -> {
            NAME.set("parent");
            Task<String> a = createTask(() -> {
                NAME.set("a");
                sleep(Duration.ofMillis(5));
                return NAME.get();
            });
            Task<String> b = createTask(() -> {
                sleep(Duration.ofMillis(1));
                return NAME.get();
            });
            List<String> r = new ArrayList<>(await(gather(a, b)));
            r.add(NAME.get());
            return r;
        });
        assertEquals(List.of("a", "parent", "parent"), seen);
    }

    @Test
    void getWithoutValueOrDefaultThrowsAndGetWithFallbackReturnsIt() {
        AsyncTesting.run(() -> {
            assertThrows(NoSuchElementException.class, COUNT::get);
            assertEquals(7, COUNT.get(7));
            assertEquals("none", NAME.get());
        });
    }

    @Test
    void resetRestoresThePreviousValueAndATokenWorksOnce() {
        AsyncTesting.run(() -> {
            ContextVar.Token<Integer> first = COUNT.set(1);
            assertFalse(first.hadValue());
            ContextVar.Token<Integer> second = COUNT.set(2);
            assertEquals(1, second.oldValue());
            COUNT.reset(second);
            assertEquals(1, COUNT.get());
            assertThrows(IllegalStateException.class, () -> COUNT.reset(second));
            COUNT.reset(first);
            assertThrows(NoSuchElementException.class, COUNT::get);
        });
    }

    @Test
    void aTokenFromAnotherTaskIsRejected() {
        AsyncTesting.run(() -> {
            ContextVar.Token<Integer> token = await(createTask(() -> COUNT.set(5)));
            assertThrows(IllegalArgumentException.class, () -> COUNT.reset(token));
        });
    }

    @Test
    void aCallbackRunsInTheContextOfItsSchedulingAndItsChangesDieWithIt() {
        List<String> seen = AsyncTesting.run(() -> {
            List<String> out = new ArrayList<>();
            NAME.set("at scheduling");
            Future<Void> done = getRunningLoop().createFuture();
            getRunningLoop().callSoon(() -> {
                out.add(NAME.get());
                NAME.set("inside callback");
            });
            NAME.set("after scheduling");
            getRunningLoop().callSoon(() -> {
                out.add(NAME.get());
                done.setResult(null);
            });
            await(done);
            out.add(NAME.get());
            return out;
        });
        assertEquals(List.of("at scheduling", "after scheduling", "after scheduling"), seen);
    }

    @Test
    void aDoneCallbackRunsInTheContextOfItsRegistration() {
        String seen = AsyncTesting.run(() -> {
            Future<Void> f = getRunningLoop().createFuture();
            Future<String> result = getRunningLoop().createFuture();
            NAME.set("registered");
            f.addDoneCallback(x -> result.setResult(NAME.get()));
            NAME.set("later");
            f.setResult(null);
            return await(result);
        });
        assertEquals("registered", seen);
    }

    @Test
    void toThreadCarriesTheContextToTheExecutorThread() {
        String seen = AsyncTesting.run(() -> {
            NAME.set("caller");
            return toThread(NAME::get);
        });
        assertEquals("caller", seen);
    }

    @Test
    void runInExecutorRunsInTheThreadsOwnContext() {
        String seen = AsyncTesting.run(() -> {
            NAME.set("caller");
            return await(getRunningLoop().runInExecutor(NAME::get));
        });
        assertEquals("none", seen);
    }

    @Test
    void aRunnerKeepsOneContextAcrossRunsWhileEachAsyncioRunStartsFresh() {
        try (Runner runner = Runner.create()) {
            runner.run(() -> {
                NAME.set("first run");
            });
            assertEquals("first run", runner.run(() -> NAME.get()));
        }
        Asyncio.run(() -> {
            NAME.set("set in a run");
        });
        assertEquals("none", Asyncio.run(() -> NAME.get()));
    }

    @Test
    void contextRunKeepsTheChangesOfItsBody() {
        AsyncTesting.run(() -> {
            NAME.set("outer");
            Context ctx = Context.copyContext();
            ctx.run(() -> NAME.set("inside"));
            assertEquals("outer", NAME.get());
            assertEquals("inside", ctx.get(NAME, null));
            assertEquals("inside", ctx.run(NAME::get));
            assertTrue(ctx.contains(NAME));
        });
    }
}
