package io.asyncio4j.internal.task;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.TaskGroup;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.queue.Queue;
import java.time.Duration;
import io.asyncio4j.internal.loop.RunnerImpl;

/**
 * Runs the runtime's rare paths once, on a private loop, before any user task exists.
 *
 * <p>Why: the JIT compiles the methods a parked task's frames belong to (park, sleep, await,
 * waitFor...) while thousands of tasks may be parked in them, and compiles the paths not yet
 * taken (a cancellation, a timeout, a failed group) as traps. When those tasks later resume on
 * such a path, every one of them deoptimizes its own frozen frame, one by one: measured here, a
 * run of 200,000 timeouts took four times as long when that happened. Executing the paths once
 * beforehand resolves what they call, so the compiled code has them. It costs a few milliseconds
 * once per JVM. Failures are ignored: this only primes the JIT.
 */
final class Prime {
    private Prime() {
    }

    static void runtimePaths() {
        Thread t = Thread.ofPlatform().name("asyncio4j-prime").unstarted(Prime::exercise);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void exercise() {
        try (RunnerImpl runner = new RunnerImpl(false)) {
            runner.getLoop().setExceptionHandler((loop, context) -> { });
            runner.run(() -> {
                for (int round = 0; round < 3; round++) {
                    once();
                }
                return null;
            });
        } catch (Throwable ignored) {
            // priming only
        }
    }

    private static void once() {
        // a sleep cancelled from outside
        var sleeper = Asyncio.createTask(() -> Asyncio.sleep(Duration.ofSeconds(60)));
        Asyncio.sleep(Duration.ZERO);
        sleeper.cancel();
        try {
            Asyncio.await(sleeper);
        } catch (CancelledError expected) {
            // primed
        }
        // a timeout interrupting a sleep, through waitFor and a timeout scope
        try {
            Asyncio.waitFor(() -> {
                Asyncio.sleep(Duration.ofSeconds(60));
                return null;
            }, Duration.ofNanos(1));
        } catch (TimeoutError expected) {
            // primed
        }
        try (var _ = Asyncio.timeout(Duration.ofNanos(1))) {
            Asyncio.sleep(Duration.ofSeconds(60));
        } catch (TimeoutError expected) {
            // primed
        }
        // a future awaited then cancelled, a queue waiter cancelled
        var future = Asyncio.createFuture();
        var waiter = Asyncio.createTask(() -> Asyncio.await(future));
        Queue<Integer> queue = new Queue<>(1);
        var getter = Asyncio.createTask(queue::get);
        Asyncio.sleep(Duration.ZERO);
        waiter.cancel();
        getter.cancel();
        Asyncio.await(Asyncio.gatherSettled(waiter, getter));
        // a failing task group, and a cancel scope that moves on
        try (TaskGroup tg = Asyncio.taskGroup()) {
            tg.createTask(() -> {
                throw new IllegalStateException("primed");
            });
            tg.createTask(() -> Asyncio.sleep(Duration.ofSeconds(60)));
        } catch (RuntimeException expected) {
            // primed
        }
        Asyncio.moveOnAfter(Duration.ofNanos(1), scope -> Asyncio.sleep(Duration.ofSeconds(60)));
    }
}
