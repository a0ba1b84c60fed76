package io.asyncio4j.internal.observe;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.observe.LoopSnapshot;
import io.asyncio4j.observe.Observe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/*
 * Implementation overview
 *
 * The loop's JFR events. Each emitter makes its event and asks isEnabled() first: without a
 * recording (or with the event disabled) jdk.jfr.Event.isEnabled() is a constant false, the JIT
 * removes the allocation, and the hot path (task created, task finished) pays one inlined check.
 * Task events are off by default (one per task would flood a default recording); a .jfc or
 * Recording.enable("io.asyncio4j.TaskCreated") turns them on. The slow-step event is on, for
 * steps at least the loop's slow-callback duration (100 ms by default). The periodic events
 * (statistics and lag, every second) are registered when the first recording starts (a listener
 * added when the first loop runs): registering them costs part of JFR's start-up, which a JVM
 * without JFR should not pay.
 */

/** The JFR events of asyncio4j's loops and tasks, and their emitters. */
public final class JfrEvents {
    private static volatile boolean listening;
    private static boolean periodicRegistered;

    private JfrEvents() {
    }

    /** A task was created. */
    @Name("io.asyncio4j.TaskCreated")
    @Label("Task Created")
    @Category({"asyncio4j", "Tasks"})
    @Description("A task was created on an event loop")
    @Enabled(false)
    @StackTrace(false)
    static final class TaskCreated extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Task Name")
        String taskName;
    }

    /** A task finished. */
    @Name("io.asyncio4j.TaskFinished")
    @Label("Task Finished")
    @Category({"asyncio4j", "Tasks"})
    @Description("A task finished: with a result, failed or cancelled")
    @Enabled(false)
    @StackTrace(false)
    static final class TaskFinished extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Task Name")
        String taskName;
        @Label("Outcome")
        @Description("result, failed or cancelled")
        String outcome;
        @Label("Error")
        String error;
    }

    /** A step held the loop for at least the slow-callback duration. */
    @Name("io.asyncio4j.SlowStep")
    @Label("Slow Step")
    @Category({"asyncio4j", "Loop"})
    @Description("A callback or task step held the event loop for at least its slow-callback duration")
    @StackTrace(false)
    static final class SlowStep extends Event {
        @Label("Loop")
        String loop;
        @Label("Step")
        String step;
        @Label("Task Id")
        long taskId;
        @Label("Took")
        @Timespan(Timespan.NANOSECONDS)
        long tookNanos;
        @Label("Where")
        @Description("The stack sampled while the step ran (debug mode), innermost first")
        String where;
    }

    /** How long a callback sent to a loop from outside waited before it ran. */
    @Name("io.asyncio4j.LoopLag")
    @Label("Loop Lag")
    @Category({"asyncio4j", "Loop"})
    @Description("How long a callback queued from another thread waited before the loop ran it")
    @Period("1 s")
    @StackTrace(false)
    static final class LoopLag extends Event {
        @Label("Loop")
        String loop;
        @Label("Lag")
        @Timespan(Timespan.NANOSECONDS)
        long lagNanos;
    }

    /** A loop's counters. */
    @Name("io.asyncio4j.LoopStatistics")
    @Label("Loop Statistics")
    @Category({"asyncio4j", "Loop"})
    @Description("An event loop's counters: tasks, ready entries, timers, iterations")
    @Period("1 s")
    @StackTrace(false)
    static final class LoopStatistics extends Event {
        @Label("Loop")
        String loop;
        @Label("Tasks Alive")
        int tasksAlive;
        @Label("Ready Entries")
        int readyEntries;
        @Label("Timers Pending")
        int timersPending;
        @Label("Iterations")
        long iterations;
        @Label("Selector Wake-ups")
        long selectorWakeups;
    }

    /**
     * Every task of a loop, in the three text formats: what {@code ./asyncio4j ps PID} reads from
     * a running JVM. Off by default, and emitted at the end of a recording's chunk only: the tool
     * starts a recording with it alone enabled, stops it, and reads the file.
     */
    @Name("io.asyncio4j.LoopSnapshot")
    @Label("Loop Snapshot")
    @Category({"asyncio4j", "Loop"})
    @Description("Every task of an event loop, as ps, pstree and stacks print them")
    @Enabled(false)
    @Period("endChunk")
    @StackTrace(false)
    static final class LoopSnapshotEvent extends Event {
        @Label("Loop")
        String loop;
        @Label("Table")
        String table;
        @Label("Tree")
        String tree;
        @Label("Stacks")
        String stacks;
    }

    /**
     * A task was created. Loop thread.
     *
     * @param t the task
     */
    public static void taskCreated(TaskImpl<?> t) {
        TaskCreated e = new TaskCreated();
        if (e.isEnabled()) {
            e.taskId = t.taskId();
            e.taskName = t.getName();
            e.commit();
        }
    }

    /**
     * A task finished. Loop thread.
     *
     * @param t the task
     * @param error what it threw, or {@code null}
     * @param cancelled whether it ended cancelled
     */
    public static void taskFinished(TaskImpl<?> t, Throwable error, boolean cancelled) {
        TaskFinished e = new TaskFinished();
        if (e.isEnabled()) {
            e.taskId = t.taskId();
            e.taskName = t.getName();
            e.outcome = cancelled ? "cancelled" : error != null ? "failed" : "result";
            e.error = error != null && !cancelled ? error.toString() : null;
            e.commit();
        }
    }

    /*
     * Events committed by a loop's platform thread after one of its tasks ran on it (the fast
     * driver's custom scheduler) are lost: JDK 25's JFR still takes the thread for the virtual
     * thread that unmounted. Task events are committed by the task's own thread and are kept;
     * the loop's own events are handed to one daemon thread that commits them.
     */
    private static final LinkedBlockingQueue<Event> TO_COMMIT = new LinkedBlockingQueue<>();
    private static volatile boolean committerStarted;

    private static void commitElsewhere(Event e) {
        if (!committerStarted) {
            startCommitter();
        }
        TO_COMMIT.add(e);
    }

    private static synchronized void startCommitter() {
        if (committerStarted) {
            return;
        }
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    TO_COMMIT.take().commit();
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }, "jfr-events-of-asyncio4j");
        t.setDaemon(true);
        t.start();
        committerStarted = true;
    }

    /**
     * Waits until the events handed over so far are committed (tests read a recording after it).
     *
     * @throws InterruptedException if interrupted
     */
    public static void awaitCommitted() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!TO_COMMIT.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(20); // the last one taken may still be committing
    }

    /** {@return whether the slow-step event is recorded: the loop then times its steps} */
    public static boolean slowStepEnabled() {
        return new SlowStep().isEnabled();
    }

    /**
     * A step was slow. Loop thread.
     *
     * @param step what ran
     * @param task its task, or {@code null}
     * @param tookNs how long it held the loop
     * @param sample the stack sampled meanwhile, or {@code null}
     */
    public static void slowStep(String step, TaskImpl<?> task, long tookNs, StackTraceElement[] sample) {
        SlowStep e = new SlowStep();
        if (e.isEnabled()) {
            e.step = step;
            e.taskId = task != null ? task.taskId() : 0;
            e.tookNanos = tookNs;
            if (sample != null) {
                StringBuilder sb = new StringBuilder();
                for (StackTraceElement f : sample) {
                    sb.append(f).append('\n');
                }
                e.where = sb.toString();
            }
            e.loop = Thread.currentThread().getName();
            commitElsewhere(e);
        }
    }

    /**
     * A loop starts running: the first time in this JVM, listen for JFR recordings, which
     * register the periodic events when one starts (or now, if one runs already).
     */
    public static void loopStarting() {
        if (!listening) {
            listen();
        }
    }

    private static synchronized void listen() {
        if (listening) {
            return;
        }
        listening = true;
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                registerPeriodic();
            }

            @Override
            public void recordingStateChanged(Recording recording) {
                if (recording.getState() == RecordingState.RUNNING) {
                    registerPeriodic();
                }
            }
        });
        if (FlightRecorder.isInitialized()) {
            registerPeriodic();
        }
    }

    private static synchronized void registerPeriodic() {
        if (periodicRegistered) {
            return;
        }
        periodicRegistered = true;
        FlightRecorder.addPeriodicEvent(LoopStatistics.class, JfrEvents::emitStatistics);
        FlightRecorder.addPeriodicEvent(LoopLag.class, JfrEvents::probeLag);
        FlightRecorder.addPeriodicEvent(LoopSnapshotEvent.class, JfrEvents::emitSnapshots);
    }

    /** How long the snapshot event waits for a loop's own thread to take its snapshot. */
    private static final long SNAPSHOT_ANSWER_MS = 2_000;

    /**
     * JFR's periodic thread, when a recording with the snapshot event ends a chunk: each running
     * loop's snapshot, taken on its own thread (a loop held by a step is reported as not answering).
     */
    private static void emitSnapshots() {
        for (EventLoopImpl l : EventLoopImpl.openLoops()) {
            if (!l.isRunning()) {
                continue;
            }
            LoopSnapshotEvent e = new LoopSnapshotEvent();
            e.loop = l.owner().getName();
            CompletableFuture<LoopSnapshot> s = Observe.snapshot(l);
            try {
                LoopSnapshot snap = s.get(SNAPSHOT_ANSWER_MS, TimeUnit.MILLISECONDS);
                e.table = snap.formatTable();
                e.tree = snap.formatTree();
                e.stacks = snap.formatStacks();
            } catch (TimeoutException timeout) {
                s.cancel(false);
                e.table = "loop " + e.loop + ": did not answer within " + SNAPSHOT_ANSWER_MS
                        + " ms (a step holds its thread: jstack shows where)\n";
                e.tree = e.table;
                e.stacks = e.table;
            } catch (ExecutionException | InterruptedException failed) {
                continue; // closed meanwhile, or JFR is shutting down
            }
            e.commit();
        }
    }

    /** JFR's periodic thread: the counters of each running loop (read racily: they are counters). */
    private static void emitStatistics() {
        for (EventLoopImpl l : EventLoopImpl.openLoops()) {
            if (!l.isRunning()) {
                continue;
            }
            LoopStatistics e = new LoopStatistics();
            e.loop = l.owner().getName();
            e.tasksAlive = l.tasks().liveCount();
            e.readyEntries = l.readyCount();
            e.timersPending = l.timerCount();
            e.iterations = l.iterations();
            e.selectorWakeups = l.selectorWakeups();
            e.commit();
        }
    }

    /** JFR's periodic thread: a probe to each running loop, which records how long it waited. */
    private static void probeLag() {
        for (EventLoopImpl l : EventLoopImpl.openLoops()) {
            if (!l.isRunning() || l.isClosed()) {
                continue;
            }
            long sent = System.nanoTime();
            String name = l.owner().getName();
            try {
                l.enqueueFromOutside(() -> {
                    LoopLag e = new LoopLag();
                    if (e.isEnabled()) {
                        e.loop = name;
                        e.lagNanos = System.nanoTime() - sent;
                        commitElsewhere(e);
                    }
                });
            } catch (IllegalStateException closed) {
                // closed meanwhile
            }
        }
    }
}
