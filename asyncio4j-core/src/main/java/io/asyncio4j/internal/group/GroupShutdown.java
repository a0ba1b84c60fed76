package io.asyncio4j.internal.group;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.internal.Durations;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * Implementation overview
 *
 * A graceful shutdown of a loop group, run by a platform thread of its own (so that it is on no
 * loop, and nothing it cancels can cancel it). Three steps, each waiting with blocking joins:
 *   1. stop: every server on the group stops listening, on every loop (GroupServer.startStop);
 *      whoever waits in waitShutdownRequested() is woken;
 *   2. drain: up to the drain timeout, wait until every such server's connections are gone
 *      (a waitClosed task per loop) and every run's mains have returned;
 *   3. cancel: `cancelling` is set (so run() counts the cancelled mains as ended), then on every
 *      loop every live task is cancelled and the servers' remaining connections are closed; wait
 *      up to the drain timeout again for the cancelled tasks to end, and report the ones that do
 *      not to their loop's exception handler.
 * `done` completes after step 3 whatever happened.
 */

/** The graceful shutdown of a loop group: stop, drain, cancel. */
final class GroupShutdown {
    private static final System.Logger LOG = System.getLogger("io.asyncio4j");

    private final LoopGroupImpl group;
    private final long drainNs;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean cancelling;

    GroupShutdown(LoopGroupImpl group, Duration drainTimeout) {
        this.group = group;
        this.drainNs = Math.max(0, Durations.toNanos(drainTimeout));
    }

    CompletableFuture<Void> done() {
        return done;
    }

    /** {@return whether step 3 began: what is cancelled now is cancelled by the shutdown} */
    boolean cancelling() {
        return cancelling;
    }

    void start(String threadName) {
        Thread.ofPlatform().name(threadName).start(this::run);
    }

    private void run() {
        try {
            List<GroupServer> servers = group.servers();
            stopListening(servers);
            group.shutdownBegan();
            drain(servers);
            cancelling = true;
            cancelEverything(servers);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "the shutdown of a loop group failed", e);
        } finally {
            done.complete(null);
        }
    }

    private static void stopListening(List<GroupServer> servers) {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (GroupServer s : servers) {
            stops.add(s.startStop());
        }
        for (CompletableFuture<Void> f : stops) {
            f.handle((v, e) -> null).join();
        }
    }

    private void drain(List<GroupServer> servers) throws InterruptedException {
        List<CompletableFuture<?>> waits = new ArrayList<>();
        for (GroupServer s : servers) {
            waits.addAll(s.waitClosedTasks());
        }
        for (MainRun<?> r : group.runs()) {
            waits.add(r.done);
        }
        awaitAll(waits, drainNs);
        for (CompletableFuture<?> w : waits) {
            w.cancel(false); // the waitClosed tasks still waiting (cancelling the mains' join does nothing)
        }
    }

    /** Waits for every future, up to a time; {@return whether all completed} */
    private static boolean awaitAll(List<? extends CompletableFuture<?>> futures, long ns) throws InterruptedException {
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.stream()
                .map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new));
        try {
            all.get(ns, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError("handle() never fails", e);
        }
    }

    private void cancelEverything(List<GroupServer> servers) throws InterruptedException {
        EventLoopImpl[] loops = group.loopArray();
        List<CompletableFuture<Void>> ended = new ArrayList<>();
        List<List<TaskImpl<?>>> cancelled = new ArrayList<>();
        for (int i = 0; i < loops.length; i++) {
            int index = i;
            CompletableFuture<Void> f = new CompletableFuture<>();
            List<TaskImpl<?>> tasks = new ArrayList<>();
            ended.add(f);
            cancelled.add(tasks);
            EventLoopImpl loop = loops[i];
            try {
                loop.enqueueThreadsafe(() -> {
                    tasks.addAll(loop.tasks().liveTasks());
                    int[] left = {tasks.size()};
                    for (TaskImpl<?> t : tasks) {
                        t.cancel((String) null);
                        t.addDoneCallback(x -> {
                            if (--left[0] == 0) {
                                f.complete(null);
                            }
                        });
                    }
                    for (GroupServer s : servers) {
                        s.serverOn(index).closeClients();
                    }
                    if (tasks.isEmpty()) {
                        f.complete(null);
                    }
                });
            } catch (IllegalStateException closed) {
                f.complete(null);
            }
        }
        if (awaitAll(ended, drainNs)) {
            return;
        }
        for (int i = 0; i < loops.length; i++) {
            if (ended.get(i).isDone()) {
                continue;
            }
            EventLoopImpl loop = loops[i];
            List<TaskImpl<?>> tasks = cancelled.get(i);
            try {
                loop.enqueueThreadsafe(() -> {
                    List<TaskImpl<?>> left = new ArrayList<>();
                    for (TaskImpl<?> t : tasks) {
                        if (!t.isDone()) {
                            left.add(t);
                        }
                    }
                    if (!left.isEmpty()) {
                        loop.callExceptionHandler(ExceptionContext.of("tasks still running after the loop group's "
                                + "shutdown cancelled them (they swallow the cancellation?): " + left, null));
                    }
                });
            } catch (IllegalStateException closed) {
                // gone meanwhile
            }
        }
    }
}
