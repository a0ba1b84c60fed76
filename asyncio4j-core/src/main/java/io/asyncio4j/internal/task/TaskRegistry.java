package io.asyncio4j.internal.task;

import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.observe.JfrEvents;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/*
 * Implementation overview
 *
 * A loop's tasks: the coroutine driver that runs them, the list of live ones (an intrusive doubly
 * linked list through TaskImpl.prevLive/nextLive, newest first, so that adding and removing cost
 * no allocation and allTasks() is a walk), the eager task factory flag, and the async generators
 * whose producer has started and not ended (closed at shutdown, as asyncio's
 * shutdown_asyncgens). Loop thread only.
 */

/** The tasks and async generators of one loop, and the driver that runs them. */
public final class TaskRegistry {
    /** Task numbers handed out to loops, a block at a time. */
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * How many numbers a loop takes at once: an atomic add per task is a full fence, which waits
     * for the stores of the task just allocated (measured in {@code spawn}); per block it is not felt.
     */
    private static final int ID_BLOCK = 1024;

    private final EventLoopImpl loop;
    /** The next task number of this loop's block, and the end of the block. */
    private long nextId;
    private long idLimit;
    private final Driver driver;
    private TaskImpl<?> liveHead;
    private int liveCount;
    private boolean eager;
    private final Set<AsyncGeneratorImpl<?>> liveGenerators = new LinkedHashSet<>();

    /**
     * Creates the registry of a new loop, with the driver this JVM uses.
     *
     * @param loop the loop
     */
    public TaskRegistry(EventLoopImpl loop) {
        this.loop = loop;
        this.driver = Drivers.create(loop);
        Drivers.primeOnce();
    }

    Driver driver() {
        return driver;
    }

    /** {@return "fast" or "compat": how tasks are scheduled} */
    public String driverName() {
        return driver.name();
    }

    /**
     * Creates a task and adds it to the live list, without starting it.
     *
     * @param <T> the result type
     * @param name the name, or {@code null}
     * @param body a {@code Callable} or a {@code ThrowingRunnable}
     * @return the task
     */
    public <T> TaskImpl<T> newTask(String name, Object body) {
        if (body == null) {
            throw new NullPointerException("coroutine");
        }
        TaskImpl<T> t = new TaskImpl<>(loop, nextId(), name, body);
        t.ctx = Contexts.current();
        if (loop.getDebug()) {
            t.setCreatedAt(EventLoopImpl.callerFrames());
        }
        TaskImpl<?> h = liveHead;
        t.nextLive = h;
        if (h != null) {
            h.prevLive = t;
        }
        liveHead = t;
        liveCount++;
        JfrEvents.taskCreated(t);
        return t;
    }

    /**
     * The next task number: unique in the JVM and increasing within a loop (the n of Task-n, as
     * asyncio's counter; across loops the numbers interleave by blocks).
     */
    private long nextId() {
        if (nextId == idLimit) {
            nextId = IDS.getAndAdd(ID_BLOCK) + 1;
            idLimit = nextId + ID_BLOCK;
        }
        return nextId++;
    }

    /**
     * Starts a new task: its first step is queued, or run now when eager and the loop runs.
     *
     * @param t the task
     * @param eagerStart whether to run its first step now
     */
    public void start(TaskImpl<?> t, boolean eagerStart) {
        t.started();
        if (eagerStart && loop.isRunning() && loop.onLoopThread()) {
            driver.startEager(t);
        } else {
            driver.start(t);
        }
    }

    /**
     * Creates and starts a task whose body returns nothing, at the back of the ready queue.
     *
     * @param name the name, or {@code null}
     * @param body the body
     * @return the task
     */
    public TaskImpl<Void> startLazy(String name, ThrowingRunnable body) {
        TaskImpl<Void> t = newTask(name, body);
        start(t, false);
        return t;
    }

    void removeLive(TaskImpl<?> t) {
        TaskImpl<?> p = t.prevLive;
        TaskImpl<?> n = t.nextLive;
        if (p != null) {
            p.nextLive = n;
        } else if (liveHead == t) {
            liveHead = n;
        } else {
            return; // not in the list
        }
        if (n != null) {
            n.prevLive = p;
        }
        t.prevLive = null;
        t.nextLive = null;
        liveCount--;
        if (loop.getDebug()) {
            loop.steps().forget(t.resume);
        }
    }

    /** {@return the tasks of the loop that are not done, newest first} */
    public List<TaskImpl<?>> liveTasks() {
        List<TaskImpl<?>> out = new ArrayList<>(liveCount);
        for (TaskImpl<?> t = liveHead; t != null; t = t.nextLive) {
            out.add(t);
        }
        return out;
    }

    /** {@return whether a task is in a JDK blocking call (running for the loop, not mounted): the JDK will wake it} */
    public boolean anyInJdkCall() {
        TaskImpl<?> current = TaskImpl.current();
        for (TaskImpl<?> t = liveHead; t != null; t = t.nextLive) {
            if (t != current && "RUNNING".equals(t.stepName())) {
                return true;
            }
        }
        return false;
    }

    /** {@return how many tasks of the loop are not done} */
    public int liveCount() {
        return liveCount;
    }

    /** {@return whether new tasks start eagerly (asyncio's eager task factory)} */
    public boolean isEager() {
        return eager;
    }

    /**
     * Sets the eager task factory.
     *
     * @param eagerStart whether new tasks start eagerly
     */
    public void setEager(boolean eagerStart) {
        eager = eagerStart;
    }

    void generatorStarted(AsyncGeneratorImpl<?> g) {
        liveGenerators.add(g);
    }

    void generatorEnded(AsyncGeneratorImpl<?> g) {
        liveGenerators.remove(g);
    }

    /** Closes the generators still open, each in turn in one task, and waits; loop not running. */
    public void shutdownAsyncGenerators() {
        if (liveGenerators.isEmpty()) {
            return;
        }
        List<AsyncGeneratorImpl<?>> open = new ArrayList<>(liveGenerators);
        TaskImpl<Void> closer = startLazy("asyncio4j-shutdown-asyncgens", () -> {
            for (AsyncGeneratorImpl<?> g : open) {
                g.closeAtShutdown();
            }
        });
        loop.runUntilComplete(closer);
    }

    /** The loop closed: the tasks left will never run again. */
    public void clear() {
        liveHead = null;
        liveCount = 0;
    }
}
