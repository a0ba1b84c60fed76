package io.asyncio4j.bench.jmh;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.TimerHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Micro-benchmarks of the loop's hot paths, through the public API: scheduling and running a
 * callback, inserting and cancelling timers, a task switch, a cross-thread wake-up. Each
 * invocation does a batch of {@code BATCH} operations so that the loop's per-iteration cost is
 * amortised as in real use; scores are per operation.
 *
 * <pre>
 *   ./asyncio4j jmh LoopBenchmarks            (or a single one: LoopBenchmarks.callSoon)
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "-XX:+UseParallelGC"})
public class LoopBenchmarks {
    static final int BATCH = 1000;

    /** How many timers are pending while the measured ones are inserted and cancelled. */
    @Param({"0", "100000"})
    public int pendingTimers;

    private EventLoop loop;
    private long counter;

    /** Creates the loop and the background timers. */
    @Setup(Level.Trial)
    public void setUp() {
        loop = Asyncio.newEventLoop();
        for (int i = 0; i < pendingTimers; i++) {
            loop.callLater(Duration.ofHours(1).plusNanos(i * 997L % 1_000_000L), () -> { });
        }
    }

    /** Closes the loop. */
    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    /**
     * callSoon then run: the cost of one ready-queue callback.
     *
     * @return a counter, so the work is not dead code
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long callSoon() {
        for (int i = 0; i < BATCH; i++) {
            loop.callSoon(() -> counter++);
        }
        loop.callSoon(loop::stop);
        loop.runForever();
        return counter;
    }

    /**
     * callLater then cancel: the cost of inserting a timer into, and removing it from, the heap.
     *
     * @param bh sink for the handles
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void timerInsertAndCancel(Blackhole bh) {
        TimerHandle[] handles = new TimerHandle[BATCH];
        for (int i = 0; i < BATCH; i++) {
            handles[i] = loop.callLater(Duration.ofMillis(10 + (i * 7919L) % 10_000), () -> { });
        }
        for (TimerHandle h : handles) {
            h.cancel();
        }
        bh.consume(handles);
    }

    /**
     * sleep(Duration.ZERO) in a task: the cost of one task switch (suspend, back through the loop, resume).
     *
     * @return the task's count
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int taskSwitch() {
        Task<Integer> t = loop.createTask(() -> {
            int n = 0;
            for (int i = 0; i < BATCH; i++) {
                Asyncio.sleep(java.time.Duration.ZERO);
                n++;
            }
            return n;
        });
        return loop.runUntilComplete(t);
    }

    /**
     * createTask of a task that returns at once, then run: the cost of a task's whole life.
     *
     * @return the last task's result
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int taskCreateAndRun() {
        Future<Integer> last = null;
        for (int i = 0; i < BATCH; i++) {
            int k = i;
            last = loop.createTask(() -> k);
        }
        return loop.runUntilComplete(last);
    }

    /**
     * callSoonThreadsafe from another thread, one wake-up per batch: the cross-thread entrance.
     *
     * @return a counter
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long callSoonThreadsafe() throws InterruptedException {
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < BATCH; i++) {
                loop.callSoonThreadsafe(() -> counter++);
            }
            loop.callSoonThreadsafe(loop::stop);
        });
        loop.runForever();
        producer.join();
        return counter;
    }
}
