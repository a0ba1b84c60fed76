package io.asyncio4j.internal.task;

import java.util.concurrent.Executor;
import io.asyncio4j.internal.loop.EventLoopImpl;

/*
 * Implementation overview
 *
 * The loop is the scheduler (an Executor) of its tasks' virtual threads, built through the JDK's
 * VirtualThreadBuilder(Executor) constructor (needs --add-opens java.base/java.lang). The JDK
 * calls execute(continuation) whenever a virtual thread becomes runnable: when it starts, when it
 * yields, when something unparks it. Running that Runnable on the loop thread mounts the virtual
 * thread there until it parks or yields again.
 *
 * A task suspends with Thread.yield() after setting `parking`: the JDK then hands its continuation
 * to execute() on the loop thread, which stores it in the task instead of queueing it, so the task
 * stays suspended until a wake-up queues (or runs) that continuation. No park/unpark state
 * machine, no allocation. Continuations handed over for other reasons (a start, a Thread.yield()
 * of user code, an unpark by JDK blocking code such as Thread.sleep or socket I/O) are queued:
 * from the loop's own threads directly, from any other thread through the inbox.
 *
 * All fields are touched on the loop thread only.
 */

/** The fast coroutine driver: virtual threads whose scheduler is the loop itself. */
final class FastDriver extends Driver implements Executor {
    private static final int BACK = 0;
    private static final int FRONT = 1;
    private static final int SECOND = 2;

    private final Thread.Builder.OfVirtual builder;
    /** The task that is suspending: its continuation is kept, not queued. */
    private TaskImpl<?> parking;
    /** A task being started eagerly from a callback: its first continuation is kept. */
    private TaskImpl<?> capturing;
    /** Where a continuation handed to execute() on the loop goes in the ready queue. */
    private int placement = BACK;
    /** Debug mode: the task whose thread was just started, to name its first continuation. */
    private TaskImpl<?> debugStarting;
    /** The continuation of a suspended task whose stack is being read: the JDK hands it back. */
    private Runnable walked;

    FastDriver(EventLoopImpl loop) {
        super(loop);
        this.builder = Drivers.newFastBuilder(this);
    }

    @Override
    String name() {
        return "fast";
    }

    private Thread newThread(TaskImpl<?> t) {
        Thread th = builder.unstarted(t);
        th.setUncaughtExceptionHandler(t);
        if (loop.getDebug()) {
            th.setName(t.getName());
            debugStarting = t;
        }
        t.thread = th;
        return th;
    }

    @Override
    void start(TaskImpl<?> t) {
        newThread(t).start();
    }

    @Override
    void startEager(TaskImpl<?> t) {
        TaskImpl<?> parent = TaskImpl.current();
        if (parent != null) {
            // the new task's first step goes first, then the creator resumes
            placement = FRONT;
            newThread(t).start();
            placement = SECOND;
            suspend(parent);
        } else {
            capturing = t;
            newThread(t).start();
            capturing = null;
            resume(t);
        }
    }

    @Override
    void runNow(TaskImpl<?> t) {
        t.resume.run();
    }

    @Override
    Object resumeEntry(TaskImpl<?> t) {
        return t.resume;
    }

    @Override
    void suspend(TaskImpl<?> t) {
        parking = t;
        Thread.yield();
        if (parking == t) {
            parking = null;
            placement = BACK;
            throw pinned(t);
        }
    }

    @Override
    void yieldNow(TaskImpl<?> t) {
        Thread.yield();
    }

    /**
     * Reading the stack of an unmounted virtual thread that yielded (as a suspended task did) makes
     * the JDK submit its continuation again, "as the task may have run meanwhile": here it did not,
     * its continuation is kept or queued already, so that submission is dropped, or the task would
     * resume while it waits. On the loop thread only; a task blocked in a JDK call is read as is,
     * its wake-up may be that very submission.
     */
    @Override
    StackTraceElement[] stackOf(TaskImpl<?> t) {
        if (!t.suspendedByDriver() || t.resume == null || !loop.onLoopThread()) {
            return t.thread.getStackTrace();
        }
        walked = t.resume;
        try {
            return t.thread.getStackTrace();
        } finally {
            walked = null;
        }
    }

    /** Called by the JDK when one of the loop's virtual threads becomes runnable. */
    @Override
    public void execute(Runnable continuation) {
        if (continuation == walked) {
            return; // a stack being read: see stackOf
        }
        EventLoopImpl l = loop;
        Thread current = Thread.currentThread();
        if (current == l.owner()) {
            TaskImpl<?> p = parking;
            if (p != null) {
                parking = null;
                p.resume = continuation;
                if (placement == SECOND) {
                    placement = BACK;
                    l.enqueueSecond(continuation);
                }
                return;
            }
            TaskImpl<?> c = capturing;
            if (c != null) {
                capturing = null;
                c.resume = continuation;
                if (l.getDebug()) {
                    trackStarting(continuation);
                }
                return;
            }
            place(continuation);
        } else if (l.ownsThread(current)) {
            place(continuation);
        } else {
            l.enqueueFromOutside(continuation);
        }
    }

    private void place(Runnable continuation) {
        EventLoopImpl l = loop;
        if (placement == FRONT) {
            placement = BACK;
            l.enqueueFirst(continuation);
        } else {
            l.enqueue(continuation);
        }
        if (l.getDebug()) {
            trackStarting(continuation);
        }
    }

    /** Debug mode: the first continuation of a task just started names that task. */
    private void trackStarting(Runnable continuation) {
        TaskImpl<?> t = debugStarting;
        if (t != null) {
            debugStarting = null;
            if (t.resume == null) {
                t.resume = continuation;
            }
            loop.steps().track(continuation, t);
        }
    }
}
