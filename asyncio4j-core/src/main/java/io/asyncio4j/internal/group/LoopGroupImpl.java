package io.asyncio4j.internal.group;

import io.asyncio4j.EventLoop;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.RunnerImpl;
import io.asyncio4j.internal.ops.Bridges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Implementation overview
 *
 * N platform threads, each creating its loop (so that the loop's owner is that thread), joining
 * it to the group, then running it forever. close() asks every loop to stop (a callback through
 * its inbox); each thread then shuts its loop down as Asyncio.run does (RunnerImpl.shutdown:
 * generators, cancel and await the tasks, executor, close) and ends; close() joins the threads.
 *
 * What other threads share: `loops` (final, published by the start latch), the cursor of next()
 * (atomic), the registries of the servers on the group and of the runs in progress (concurrent
 * sets), `shutdown` (set once, volatile), `closing` (volatile). A loop's own state is touched on
 * its thread only: everything the group does to a loop goes through enqueueThreadsafe.
 *
 * States: OPEN -> (shutdown: SHUTTING_DOWN, a GroupShutdown running) -> closing -> closed.
 * A main or a task cancelled while shutting down or closing is not an error of run().
 */

/** The one implementation of {@link LoopGroup}. */
public final class LoopGroupImpl implements LoopGroup {
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final int id = GROUPS.incrementAndGet();
    private final EventLoopImpl[] loops;
    private final Thread[] threads;
    private final List<EventLoop> loopList;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Set<GroupServer> servers = ConcurrentHashMap.newKeySet();
    private final Set<MainRun<?>> runs = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private volatile GroupShutdown shutdown;
    private volatile boolean closing;
    private volatile boolean closed;

    /**
     * Starts the loops, each on its own platform thread, and returns once they exist.
     *
     * @param n how many loops
     */
    public LoopGroupImpl(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a loop group needs at least one loop: " + n);
        }
        EventLoopImpl[] made = new EventLoopImpl[n];
        Throwable[] failed = new Throwable[1];
        CountDownLatch started = new CountDownLatch(n);
        threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            threads[i] = Thread.ofPlatform().name("asyncio4j-group" + id + "-loop" + i).unstarted(() -> {
                EventLoopImpl loop;
                try {
                    loop = new EventLoopImpl();
                    loop.joinGroup(this, index);
                    made[index] = loop;
                } catch (Throwable e) {
                    synchronized (failed) {
                        failed[0] = e;
                    }
                    return;
                } finally {
                    started.countDown();
                }
                runLoop(loop);
            });
        }
        for (Thread t : threads) {
            t.start();
        }
        awaitUninterruptibly(started);
        synchronized (failed) {
            if (failed[0] != null) {
                loops = made;
                loopList = List.of();
                stopLoops();
                throw new IllegalStateException("a loop of the group could not be created", failed[0]);
            }
        }
        loops = made.clone();
        loopList = List.of(loops);
    }

    private static void runLoop(EventLoopImpl loop) {
        try {
            loop.runForever();
        } finally {
            RunnerImpl.shutdown(loop);
        }
    }

    /**
     * The implementation behind a {@link LoopGroup}.
     *
     * @param group a group
     * @return it
     * @throws IllegalArgumentException if it is not the runtime's
     */
    public static LoopGroupImpl of(LoopGroup group) {
        if (group instanceof LoopGroupImpl g) {
            return g;
        }
        throw new IllegalArgumentException("not a loop group of the runtime (make one with LoopGroup.open): "
                + group);
    }

    /** {@return the loops, in index order} */
    EventLoopImpl[] loopArray() {
        return loops;
    }

    /**
     * {@return the loop of the group the caller runs on (a task or a callback of it), or -1}
     */
    public int currentIndex() {
        EventLoopImpl l = EventLoopImpl.runningOrNull();
        return l != null && l.group() == this ? l.groupIndex() : -1;
    }

    // ------------------------------------------------------------------ loops

    @Override
    public int size() {
        return loops.length;
    }

    @Override
    public EventLoop loop(int index) {
        return loops[Objects.checkIndex(index, loops.length)];
    }

    /**
     * {@return a loop, as its implementation}
     * @param index its index
     */
    EventLoopImpl loopImpl(int index) {
        return loops[index];
    }

    @Override
    public List<EventLoop> loops() {
        return loopList;
    }

    @Override
    public EventLoop next() {
        return loops[Math.floorMod(cursor.getAndIncrement(), loops.length)];
    }

    @Override
    public int indexOf(EventLoop loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == loop) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ mains and submissions

    @Override
    public void run(Main main) {
        Objects.requireNonNull(main, "main");
        runMains(i -> {
            main.run(i);
            return null;
        }, false);
    }

    @Override
    public <T> List<T> call(ResultMain<T> main) {
        Objects.requireNonNull(main, "main");
        return runMains(main, true);
    }

    private <T> List<T> runMains(ResultMain<T> main, boolean wantResults) {
        Waiting.checkCanWait("LoopGroup.run");
        MainRun<T> run = new MainRun<>(this, loops);
        synchronized (lifecycle) {
            checkOpen();
            if (shutdown != null) {
                throw new IllegalStateException("the loop group is shutting down");
            }
            runs.add(run);
        }
        run.start(main);
        return run.join(wantResults);
    }

    void runEnded(MainRun<?> run) {
        runs.remove(run);
    }

    @Override
    public <T> CompletableFuture<T> submit(int index, Callable<T> coroutine) {
        EventLoopImpl loop = loops[Objects.checkIndex(index, loops.length)];
        checkOpen();
        return Bridges.runCoroutineThreadsafe(coroutine, loop);
    }

    @Override
    public CompletableFuture<Void> submit(int index, ThrowingRunnable coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        return submit(index, () -> {
            coroutine.run();
            return null;
        });
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> coroutine) {
        return submit(indexOf(next()), coroutine);
    }

    @Override
    public CompletableFuture<Void> submit(ThrowingRunnable coroutine) {
        return submit(indexOf(next()), coroutine);
    }

    /**
     * Runs an action on a loop's thread: now if the caller is on that loop, else through its
     * inbox. Nothing happens if the loop is closed (its sockets went with it).
     *
     * @param index the loop
     * @param action what to run; it must not suspend
     * @return whether it ran or will run (false: the loop is closed)
     */
    boolean onLoop(int index, Runnable action) {
        EventLoopImpl loop = loops[index];
        if (loop.onLoopThread() && loop.isRunning()) {
            action.run();
            return true;
        }
        try {
            loop.enqueueThreadsafe(action);
            return true;
        } catch (IllegalStateException loopClosed) {
            return false; // nothing left to act on
        }
    }

    private void checkOpen() {
        if (closing) {
            throw new IllegalStateException("the loop group is closed");
        }
    }

    // ------------------------------------------------------------------ servers

    /**
     * Registers a server started on the group, for shutdown and close.
     *
     * @param s the server
     * @throws IllegalStateException if the group is closed or shutting down
     */
    void addServer(GroupServer s) {
        synchronized (lifecycle) {
            checkOpen();
            if (shutdown != null) {
                throw new IllegalStateException("the loop group is shutting down");
            }
            servers.add(s);
        }
    }

    void removeServer(GroupServer s) {
        servers.remove(s);
    }

    /** {@return the servers on the group that still listen or have connections} */
    List<GroupServer> servers() {
        return new ArrayList<>(servers);
    }

    /** {@return the runs whose mains are running} */
    List<MainRun<?>> runs() {
        return new ArrayList<>(runs);
    }

    /** {@return whether a main or task cancelled now is cancelled by the group itself} */
    boolean cancellingEverything() {
        GroupShutdown s = shutdown;
        return closing || s != null && s.cancelling();
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public void shutdownOnSignal(String signal, Duration drainTimeout) {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        checkOpen();
        EventLoopImpl first = loops[0];
        CompletableFuture<Void> installed = new CompletableFuture<>();
        Runnable install = () -> {
            try {
                first.addSignalHandler(signal, () -> startShutdown(drainTimeout));
                installed.complete(null);
            } catch (Throwable e) {
                installed.completeExceptionally(e);
            }
        };
        if (first.onLoopThread() && first.isRunning()) {
            install.run(); // a callback of the first loop: done now, nothing to wait for
        } else {
            Waiting.checkCanWait("LoopGroup.shutdownOnSignal");
            first.enqueueThreadsafe(install);
        }
        Waiting.await(installed, "LoopGroup.shutdownOnSignal");
    }

    @Override
    public void shutdown(Duration drainTimeout) {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Waiting.checkCanWait("LoopGroup.shutdown");
        Waiting.await(startShutdown(drainTimeout), "LoopGroup.shutdown");
    }

    /** Starts the shutdown once; {@return what completes when it is done} */
    private CompletableFuture<Void> startShutdown(Duration drainTimeout) {
        GroupShutdown s;
        synchronized (lifecycle) {
            s = shutdown;
            if (s == null) {
                checkOpen();
                s = new GroupShutdown(this, drainTimeout);
                shutdown = s;
                s.start("asyncio4j-group" + id + "-shutdown");
            }
        }
        return s.done();
    }

    @Override
    public boolean isShuttingDown() {
        return shutdown != null;
    }

    private final CompletableFuture<Void> shutdownRequested = new CompletableFuture<>();

    /** The shutdown began: wake whoever waits for that. */
    void shutdownBegan() {
        shutdownRequested.complete(null);
    }

    @Override
    public void waitShutdownRequested() {
        Waiting.await(shutdownRequested, "LoopGroup.waitShutdownRequested");
    }

    // ------------------------------------------------------------------ close

    @Override
    public boolean isClosed() {
        return closing;
    }

    @Override
    public void close() {
        EventLoopImpl here = EventLoopImpl.runningOrNull();
        if (here != null && here.group() == this) {
            throw new IllegalStateException("a loop group cannot be closed from one of its own loops: close it from "
                    + "the thread that opened it, or from a thread that runs no loop of the group");
        }
        // a shutdown in progress finishes first: its drain still submits to the loops, which
        // `closing` would refuse (bounded: the shutdown's two timeouts)
        while (true) {
            GroupShutdown s;
            synchronized (lifecycle) {
                s = shutdown;
                if (closing || s == null || s.done().isDone()) {
                    closing = true;
                    break;
                }
            }
            s.done().handle((v, e) -> null).join();
        }
        if (!closed) {
            // no hand-off between loops may be in flight when the loops drop their inboxes
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            for (GroupServer server : servers()) {
                stops.add(server.startStop());
            }
            for (CompletableFuture<Void> f : stops) {
                f.handle((v, e) -> null).join();
            }
            stopLoops();
            closed = true;
        }
        shutdownRequested.complete(null); // nobody waits for a shutdown of a closed group
    }

    private void stopLoops() {
        for (EventLoopImpl loop : loops) {
            if (loop == null) {
                continue;
            }
            try {
                loop.enqueueThreadsafe(loop::stop);
            } catch (IllegalStateException alreadyClosed) {
                // its thread ended
            }
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "<LoopGroup " + id + " loops=" + loops.length + (closing ? " closed" : shutdown != null
                ? " shutting down" : "") + ">";
    }
}
