package io.asyncio4j.internal.loop;

import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.ExceptionHandler;
import io.asyncio4j.Future;
import io.asyncio4j.Handle;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.internal.Durations;
import io.asyncio4j.internal.net.IoWait;
import io.asyncio4j.internal.observe.Deadlocks;
import io.asyncio4j.internal.observe.JfrEvents;
import io.asyncio4j.internal.net.Resolver;
import io.asyncio4j.internal.task.Contexts;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.TaskRegistry;
import io.asyncio4j.observe.LoopStatistics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/*
 * Implementation overview
 *
 * The loop is the scheduler: a ready queue, timers, a thread-safe inbox, and one iteration
 * (runOnce) that fits on a screen. What else a loop has lives in components it owns, each with
 * its own state: the selector (SelectorPoller), the exception handler and pending reports
 * (ErrorReporter), executor calls (DefaultExecutor), signal handlers (SignalHandlers), debug
 * mode's step timing (StepMonitor), and the tasks with their driver (TaskRegistry, in the task
 * package). Time comes from a LoopClock: the system's, or a test's VirtualTime.
 *
 * Threads. `owner` is the platform thread that runs the loop (the thread that created it until it
 * first runs). Every field is touched by the owner only, with these exceptions: `inbox` (any
 * thread adds), `handshake` (WakeupHandshake), `closed` and `running` (read anywhere).
 * Tasks run on their own virtual threads, but only while the owner has handed them its thread
 * (see the task package's Driver), so for this class they are the owner.
 *
 * One iteration (runOnce):
 *   1. wait for I/O: not at all if entries are ready or a stop is pending, else until the nearest
 *      timer, else indefinitely; other threads wake the selector through the inbox handshake;
 *   2. move inbox entries, then due timers (deadline order, ties FIFO), to the ready queue;
 *   3. run exactly the entries that were ready at that point (plus those placed in front of them
 *      by eager task starts); what they schedule runs next iteration.
 * An entry is a Runnable (callback handle, timer, task continuation, task baton) or a FutureImpl
 * whose done callbacks are due.
 *
 * Ordering: callbacks scheduled from one thread run in the order they were scheduled. On the loop
 * thread callSoonThreadsafe is callSoon (the same queue); from other threads it goes through the
 * inbox, whose arrival order is the order across threads.
 *
 * Wake-up handshake (WakeupHandshake): before blocking, the owner announces it and re-checks the
 * inbox; a producer adds to the inbox, then wakes the selector only if it takes the announcement
 * back. So a burst of callSoonThreadsafe calls costs one selector wake-up.
 *
 * With a virtual clock the wait of step 1 is on that clock: when only timers remain and nothing
 * else can happen (no executor call in flight), the loop polls for the clock's threshold of real
 * time, then the clock jumps to the nearest deadline (autojump); without autojump it waits until
 * woken (advance() from another thread wakes it).
 */

/** The one implementation of {@link EventLoop}. */
public final class EventLoopImpl implements EventLoop {
    private static final System.Logger LOG = System.getLogger("io.asyncio4j");
    private static final ThreadLocal<EventLoopImpl> RUNNING = new ThreadLocal<>();
    private static final boolean DEBUG_DEFAULT = Boolean.getBoolean("asyncio4j.debug");
    /** The loops not yet closed, for dumps from other threads (weak: a dropped loop leaves it). */
    private static final Set<EventLoopImpl> OPEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final ReadyQueue ready = new ReadyQueue();
    private final Timers timers = new Timers();
    private final Inbox inbox = new Inbox();
    private final LoopClock clock;
    private final VirtualTime virtualTime;
    /** The clock as read at the start of this iteration's timer phase: a cheap lower bound of now. */
    private long iterationNs;
    private long timerSeq;
    /** Entries placed in front of the current iteration's snapshot (eager starts). */
    private int frontAdded;
    /** Iterations run, for statistics (read racily by other threads). */
    private long iterations;
    /** statistics(): real time when the current run started (0 between runs), time run before it, time blocked in select. */
    private long runStartedNs;
    private long ranNs;
    private long idleNs;
    private final LagHistogram lag = new LagHistogram();
    /** Deadlock detection: how long other threads get to speak once nothing here can wake a task; -1: off. */
    private long deadlockGraceNs = -1;
    /** Completions other threads will deliver (wrapped CompletionStages): while any, no deadlock. */
    private int outsideCompletions;

    private final SelectorPoller io;
    private final ErrorReporter errors = new ErrorReporter(this);
    private final DefaultExecutor executor = new DefaultExecutor(this);
    private final SignalHandlers signals = new SignalHandlers(this);
    private final StepMonitor steps = new StepMonitor();
    private final AllBlockedWaiters allBlocked = new AllBlockedWaiters();
    private final TaskRegistry tasks;

    /** The loop's platform thread. */
    private volatile Thread owner;
    private volatile boolean running;
    private volatile boolean closed;
    private boolean stopping;
    private final WakeupHandshake handshake = new WakeupHandshake();
    private volatile boolean debug;

    /** The loop group this loop belongs to (internal.group), and its index there; set before it runs. */
    private Object group;
    private int groupIndex = -1;

    /** The context of the callback running now, and the handle that stands for it (see Contexts). */
    private Object[] callbackCtx;
    private Object callbackCarrier;

    /** Creates a loop on the system clock, owned by the calling thread until it first runs. */
    public EventLoopImpl() {
        this(LoopClock.SYSTEM);
    }

    /**
     * Creates a loop on a clock, owned by the calling thread until it first runs.
     *
     * @param clock the clock
     */
    public EventLoopImpl(LoopClock clock) {
        this.clock = clock;
        this.virtualTime = clock.virtual();
        if (virtualTime != null) {
            virtualTime.attach(this);
        }
        this.iterationNs = clock.nanoTime();
        this.io = new SelectorPoller(this);
        this.owner = Thread.currentThread();
        this.debug = DEBUG_DEFAULT;
        this.tasks = new TaskRegistry(this);
        OPEN.add(this);
    }

    /** {@return the loops of this JVM that are not closed, in no particular order} */
    public static List<EventLoopImpl> openLoops() {
        synchronized (OPEN) {
            return new ArrayList<>(OPEN);
        }
    }

    /** {@return the loop running on the current thread (in a task or a callback), or null} */
    public static EventLoopImpl runningOrNull() {
        TaskImpl<?> t = TaskImpl.current();
        if (t != null) {
            return t.loop();
        }
        return RUNNING.get();
    }

    /** {@return the running loop} @throws IllegalStateException when there is none */
    public static EventLoopImpl running() {
        EventLoopImpl l = runningOrNull();
        if (l == null) {
            throw new IllegalStateException("no running event loop: call this from a task or callback "
                    + "inside Asyncio.run(...)");
        }
        return l;
    }

    // ------------------------------------------------------------------ components

    /** {@return the loop's tasks and their driver} */
    public TaskRegistry tasks() {
        return tasks;
    }

    /** {@return the loop's selector} */
    public SelectorPoller io() {
        return io;
    }

    /** {@return debug mode's step timing} */
    public StepMonitor steps() {
        return steps;
    }

    /** {@return where the loop's errors go} */
    public ErrorReporter errors() {
        return errors;
    }

    /** {@return the virtual clock driving this loop, or {@code null} on the system clock} */
    public VirtualTime virtualTime() {
        return virtualTime;
    }

    // ------------------------------------------------------------------ loop groups

    /**
     * Makes this loop a member of a loop group, once, on its thread and before it runs.
     *
     * @param owner the group
     * @param index the loop's index in it
     * @throws IllegalStateException if the loop belongs to a group already
     */
    public void joinGroup(Object owner, int index) {
        if (group != null) {
            throw new IllegalStateException("the loop belongs to a group already");
        }
        group = Objects.requireNonNull(owner, "group");
        groupIndex = index;
    }

    /** {@return the loop group of this loop, or {@code null}} Loop thread (or before it runs). */
    public Object group() {
        return group;
    }

    /** {@return this loop's index in its group, or -1} Loop thread (or before it runs). */
    public int groupIndex() {
        return groupIndex;
    }

    // ------------------------------------------------------------------ threads

    /** {@return the loop's platform thread} */
    public Thread owner() {
        return owner;
    }

    /** The calling platform thread takes the loop over (a runner shutting it down). */
    void claimOwner() {
        owner = Thread.currentThread();
    }

    /** {@return whether the caller runs on this loop: its owner thread or one of its tasks} */
    public boolean onLoopThread() {
        Thread t = Thread.currentThread();
        return t == owner || ownsThread(t);
    }

    /**
     * Tells whether a thread is the virtual thread of one of this loop's tasks.
     *
     * @param t the thread
     * @return whether it is
     */
    public boolean ownsThread(Thread t) {
        TaskImpl<?> k = TaskImpl.of(t);
        return k != null && k.loop() == this;
    }

    private void checkThread(String what) {
        if (debug && !onLoopThread()) {
            throw new IllegalStateException("Non-thread-safe operation " + what + " invoked on an event loop "
                    + "other than the current one: use callSoonThreadsafe from other threads");
        }
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    // ------------------------------------------------------------------ the ready queue, for the runtime

    /**
     * Queues a ready entry (a Runnable, or a FutureImpl whose callbacks are due) for the next
     * iteration. Loop thread.
     *
     * @param entry the entry
     */
    public void enqueue(Object entry) {
        ready.add(entry);
    }

    /**
     * Puts an entry in front of the ready queue: it runs next, in this iteration (eager starts).
     *
     * @param entry the entry
     */
    public void enqueueFirst(Runnable entry) {
        ready.addFirst(entry);
        frontAdded++;
    }

    /**
     * Puts an entry second in the ready queue, in this iteration: an eager task's creator resumes
     * right after the new task's first step.
     *
     * @param entry the entry
     */
    public void enqueueSecond(Runnable entry) {
        ready.addSecond(entry);
        frontAdded++;
    }

    /**
     * Queues an entry from any thread and wakes the loop: the inbox. On the loop's own thread it
     * goes straight to the ready queue, keeping FIFO order with {@link #enqueue}.
     *
     * @param r the entry
     * @throws IllegalStateException if the loop is closed
     */
    public void enqueueThreadsafe(Runnable r) {
        checkNotClosed();
        if (onLoopThread()) {
            ready.add(r);
            return;
        }
        enqueueFromOutside(r);
    }

    /**
     * Queues an entry from a thread that is not the loop's and wakes the loop; once the loop is
     * closed the entry is dropped with the inbox (a JDK wake-up of a task that can never run).
     *
     * @param r the entry
     */
    public void enqueueFromOutside(Runnable r) {
        inbox.add(r);
        if (handshake.claimWakeup()) {
            io.wakeup();
        }
    }

    /** Wakes the loop if it waits in its selector (a virtual clock moved). Any thread. */
    void wakeUp() {
        io.wakeup();
    }

    /**
     * Schedules a timer entry at its deadline; equal deadlines keep scheduling order. Loop thread.
     *
     * @param e the entry
     */
    public void addTimer(TimerEntry e) {
        e.seq = timerSeq++;
        // iterationNs is fresh whenever timers are pending (runOnce reads the clock then)
        timers.add(e, timers.isEmpty() ? time() : iterationNs);
    }

    /**
     * Unschedules a timer entry; nothing happens if it is not scheduled. Loop thread.
     *
     * @param e the entry
     */
    public void removeTimer(TimerEntry e) {
        timers.remove(e);
    }

    // ------------------------------------------------------------------ scheduling

    @Override
    public Handle callSoon(Runnable callback) {
        checkNotClosed();
        checkThread("callSoon()");
        HandleImpl h = newHandle(callback);
        ready.add(h);
        return h;
    }

    private HandleImpl newHandle(Runnable callback) {
        return new HandleImpl(this, requireCallback(callback), debug ? callerFrames() : null, Contexts.current());
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable callback) {
        if (delay == null) {
            throw new NullPointerException("delay");
        }
        return callAt(Durations.deadlineAfter(time(), delay), callback);
    }

    @Override
    public TimerHandle callAt(long whenNanos, Runnable callback) {
        checkNotClosed();
        checkThread("callAt()");
        TimerHandleImpl h = new TimerHandleImpl(this, requireCallback(callback), debug ? callerFrames() : null,
                Contexts.current());
        h.whenNs = whenNanos;
        addTimer(h);
        return h;
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        HandleImpl h = newHandle(callback);
        enqueueThreadsafe(h);
        return h;
    }

    @Override
    public Handle addReader(SelectableChannel channel, Runnable callback) throws ClosedChannelException {
        checkThread("addReader()");
        checkNotClosed();
        return IoWait.addCallback(this, channel, newHandle(callback), true);
    }

    @Override
    public boolean removeReader(SelectableChannel channel) {
        checkThread("removeReader()");
        return IoWait.removeCallback(this, channel, true);
    }

    @Override
    public Handle addWriter(SelectableChannel channel, Runnable callback) throws ClosedChannelException {
        checkThread("addWriter()");
        checkNotClosed();
        return IoWait.addCallback(this, channel, newHandle(callback), false);
    }

    @Override
    public boolean removeWriter(SelectableChannel channel) {
        checkThread("removeWriter()");
        return IoWait.removeCallback(this, channel, false);
    }

    @Override
    public void addSignalHandler(String signal, Runnable callback) {
        checkThread("addSignalHandler()");
        checkNotClosed();
        signals.add(signal, newHandle(callback));
    }

    @Override
    public boolean removeSignalHandler(String signal) {
        checkThread("removeSignalHandler()");
        return signals.remove(signal);
    }

    private static Runnable requireCallback(Runnable callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        return callback;
    }

    @Override
    public long time() {
        return clock.nanoTime();
    }

    // ------------------------------------------------------------------ futures and tasks

    @Override
    public <T> Future<T> createFuture() {
        checkNotClosed();
        checkThread("createFuture()");
        return new FutureImpl<>(this);
    }

    @Override
    public <T> Task<T> createTask(String name, Callable<T> coroutine) {
        return start(name, coroutine, tasks.isEager());
    }

    @Override
    public Task<Void> createTask(String name, ThrowingRunnable coroutine) {
        return start(name, coroutine, tasks.isEager());
    }

    @Override
    public <T> Task<T> createEagerTask(String name, Callable<T> coroutine) {
        return start(name, coroutine, true);
    }

    @Override
    public Task<Void> createEagerTask(String name, ThrowingRunnable coroutine) {
        return start(name, coroutine, true);
    }

    private <T> TaskImpl<T> start(String name, Object coroutine, boolean eager) {
        checkNotClosed();
        checkThread("createTask()");
        TaskImpl<T> t = tasks.newTask(name, coroutine);
        tasks.start(t, eager);
        return t;
    }

    @Override
    public void setEagerTaskFactory(boolean eager) {
        tasks.setEager(eager);
    }

    @Override
    public boolean isEagerTaskFactory() {
        return tasks.isEager();
    }

    /**
     * Makes a cancellation error, with a stack trace only in debug mode.
     *
     * @param message the message, or {@code null}
     * @return the error
     */
    public CancelledError newCancelledError(String message) {
        return new CancelledError(message, debug);
    }

    // ------------------------------------------------------------------ running

    @Override
    public <T> T runUntilComplete(Future<T> future) {
        FutureImpl<T> f = FutureImpl.ofLoop(future, this, "runUntilComplete");
        Consumer<Future<?>> stopper = x -> stop();
        f.addCallback(stopper);
        try {
            runForever();
        } finally {
            f.removeCallback(stopper);
        }
        if (!f.isDone()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return f.result();
    }

    @Override
    public void runForever() {
        checkNotClosed();
        if (running) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (runningOrNull() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
        Thread me = Thread.currentThread();
        if (me.isVirtual()) {
            throw new IllegalStateException("An event loop runs on a platform thread, not on a virtual thread: "
                    + "its tasks are virtual threads mounted on it");
        }
        owner = me;
        RUNNING.set(this);
        running = true;
        runStartedNs = System.nanoTime();
        if (debug) {
            SlowStepWatchdog.watch(this);
        }
        JfrEvents.loopStarting();
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            ranNs += System.nanoTime() - runStartedNs;
            runStartedNs = 0;
            stopping = false;
            running = false;
            RUNNING.remove();
            SlowStepWatchdog.unwatch(this);
        }
    }

    private void runOnce() {
        iterations++;
        long timeoutNs = pollTimeout();
        if (timeoutNs < 0 && deadlockGraceNs >= 0 && nothingCanWake()) {
            poll(deadlockGraceNs); // a thread of the user's may still call in: its one chance
            if (ready.isEmpty() && nothingCanWake()) {
                throw Deadlocks.error(this);
            }
        } else {
            poll(timeoutNs);
        }
        if (!timers.isEmpty()) {
            iterationNs = time();
            long late = timers.collectDue(iterationNs, ready);
            if (late >= 0) {
                lag.record(late);
            }
        }
        if (ready.isEmpty() && !allBlocked.isEmpty()) {
            allBlocked.wakeOne(this);
        }
        int n = ready.size();
        frontAdded = 0;
        boolean timed = debug || JfrEvents.slowStepEnabled();
        while (n > 0) {
            Object e = ready.poll();
            n--;
            if (timed) {
                steps.runEntry(this, e);
            } else {
                runEntry(e);
            }
            if (frontAdded != 0) {
                n += frontAdded;
                frontAdded = 0;
            }
        }
    }

    /**
     * Tells whether no task of the loop can ever be woken: tasks wait, and nothing is ready, no
     * timer, inbox entry, executor call, I/O interest, signal handler or completion from another
     * thread is pending, and no task is in a JDK call. A thread of the user's that will call
     * callSoonThreadsafe is the one thing it cannot see.
     */
    private boolean nothingCanWake() {
        return !stopping && ready.isEmpty() && timers.isEmpty() && inbox.isEmpty() && allBlocked.isEmpty()
                && tasks.liveCount() > 0 && executor.inFlight() == 0 && outsideCompletions == 0 && signals.isEmpty()
                && !io.hasInterest() && !tasks.anyInJdkCall();
    }

    /**
     * Turns deadlock detection on or off (the runner turns it on for its main task).
     *
     * @param graceNs how long to wait for other threads once nothing here can wake a task, or -1 for off
     */
    public void setDeadlockGrace(long graceNs) {
        deadlockGraceNs = graceNs;
    }

    /** Another thread will complete a future of this loop (a wrapped CompletionStage). Loop thread. */
    public void expectOutsideCompletion() {
        outsideCompletions++;
    }

    /** A completion announced by {@link #expectOutsideCompletion} arrived. Loop thread. */
    public void outsideCompletionArrived() {
        outsideCompletions--;
    }

    /** {@return how long step 1 may wait for I/O: 0 to poll, negative for no limit, else nanoseconds} */
    private long pollTimeout() {
        if (!ready.isEmpty() || stopping || !allBlocked.isEmpty()) {
            return 0;
        }
        if (timers.isEmpty()) {
            return -1;
        }
        long waitNs = Math.max(0, timers.nextDeadline() - time());
        if (virtualTime == null || waitNs == 0) {
            return waitNs;
        }
        long threshold = virtualTime.thresholdNs();
        if (threshold < 0 || executor.inFlight() > 0) {
            return -1; // virtual time moves only when told, or once the executor's calls are back
        }
        if (threshold > 0) {
            // let I/O and other threads speak first; if nothing came, the clock jumps
            if (pollUntilSomethingReady(threshold)) {
                return 0;
            }
        } else if (!inbox.isEmpty()) {
            return 0;
        }
        virtualTime.jumpTo(timers.nextDeadline());
        return 0;
    }

    /** Polls for a while of real time; true if an entry became ready meanwhile. */
    private boolean pollUntilSomethingReady(long realNs) {
        poll(realNs);
        return !ready.isEmpty();
    }

    /**
     * Runs a ready entry, reporting what it throws; the loop goes on.
     *
     * @param e the entry
     */
    void runEntry(Object e) {
        try {
            if (e instanceof FutureImpl<?> f) {
                f.dispatchCallbacks();
            } else {
                ((Runnable) e).run();
            }
        } catch (Throwable t) {
            reportCallbackError(t, null, e);
        }
    }

    /** Waits for I/O and moves inbox entries to the ready queue. */
    private void poll(long timeoutNs) {
        if (timeoutNs != 0 && inbox.isEmpty()) {
            long t0 = 0;
            boolean blocking = handshake.prepareToBlock(inbox);
            if (blocking) {
                t0 = System.nanoTime(); // only around a wait: the busy path reads no clock for this
                io.select(timeoutNs);
            }
            handshake.awake(); // first: until then, every thread-safe call wakes the selector again
            if (blocking) {
                idleNs += System.nanoTime() - t0;
            }
            if (Thread.interrupted()) {
                LOG.log(System.Logger.Level.DEBUG, "event loop thread interrupted; interrupt ignored");
            }
        } else {
            io.select(0);
        }
        Runnable r;
        int budget = 65536;
        while (budget-- > 0 && (r = inbox.poll()) != null) {
            ready.add(r);
        }
    }

    /**
     * Parks the current task until every other task of this loop is blocked: trio's
     * {@code wait_all_tasks_blocked}. Suspends; checks for cancellation.
     */
    public void waitAllTasksBlocked() {
        allBlocked.await(this);
    }

    @Override
    public void stop() {
        stopping = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * What close() runs first, for resources the loop owns outside its selector; guarded by
     * itself, as a hook's handle may be cancelled from any thread (rare: no contention to speak of).
     */
    private final Set<CloseHook> closeHooks = new LinkedHashSet<>();

    /** A registered close action; cancelling it removes it, so closed resources leave nothing behind. */
    private final class CloseHook implements Handle {
        final Runnable action;
        private volatile boolean cancelled;

        CloseHook(Runnable action) {
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
            synchronized (closeHooks) {
                closeHooks.remove(this);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    @Override
    public Handle onClose(Runnable action) {
        CloseHook hook = new CloseHook(Objects.requireNonNull(action, "action"));
        synchronized (closeHooks) {
            checkNotClosed();
            closeHooks.add(hook);
        }
        return hook;
    }

    @Override
    public void close() {
        if (running) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        List<CloseHook> hooks;
        synchronized (closeHooks) {
            hooks = new ArrayList<>(closeHooks);
            closeHooks.clear();
        }
        for (CloseHook hook : hooks) {
            try {
                hook.action.run();
            } catch (Throwable e) {
                callExceptionHandler(ExceptionContext.of("a close hook of the loop failed", e));
            }
        }
        closed = true;
        OPEN.remove(this);
        signals.removeAll();
        ready.clear();
        timers.clear();
        while (inbox.poll() != null) {
            // dropped, as asyncio drops scheduled callbacks
        }
        tasks.clear();
        executor.closeNow();
        io.closeRegisteredSockets(debug);
        io.close();
        errors.flushAtClose();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ executor and names

    @Override
    public <T> Future<T> runInExecutor(Callable<T> call) {
        return runInExecutor(null, call);
    }

    @Override
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> call) {
        return runInExecutor(executor, call, false);
    }

    /**
     * Runs a blocking call on an executor; with {@code copyContext}, in a copy of the caller's
     * contextvars context (asyncio.to_thread), else in the thread's own (run_in_executor).
     *
     * @param <T> the result type
     * @param executor the executor, or {@code null} for the default one
     * @param call the call
     * @param copyContext whether the call sees the caller's context variables
     * @return the future of its outcome
     */
    public <T> FutureImpl<T> runInExecutor(Executor executor, Callable<T> call, boolean copyContext) {
        checkNotClosed();
        return this.executor.run(executor, call, copyContext);
    }

    @Override
    public void setDefaultExecutor(ExecutorService executor) {
        this.executor.set(executor);
    }

    @Override
    public void shutdownDefaultExecutor(Duration timeout) {
        executor.shutdown(timeout == null ? Long.MAX_VALUE : Durations.toNanos(timeout));
    }

    @Override
    public List<InetSocketAddress> getAddrInfo(String host, int port) throws UnknownHostException {
        return Resolver.getAddrInfo(host, port);
    }

    @Override
    public String getNameInfo(InetAddress address) {
        return Resolver.getNameInfo(this, address);
    }

    // ------------------------------------------------------------------ errors

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        errors.setHandler(handler);
    }

    @Override
    public ExceptionHandler getExceptionHandler() {
        return errors.handler();
    }

    @Override
    public void callExceptionHandler(ExceptionContext context) {
        errors.call(context);
    }

    @Override
    public void defaultExceptionHandler(ExceptionContext context) {
        ErrorReporter.logDefault(context);
    }

    /**
     * Reports an exception a callback or ready entry threw; the loop goes on.
     *
     * @param e the exception
     * @param future the future whose callback threw, or {@code null}
     * @param entry the entry or handle that threw
     */
    public void reportCallbackError(Throwable e, FutureImpl<?> future, Object entry) {
        errors.callbackFailed(e, future, entry);
    }

    /**
     * Reports from any thread: through the loop while it is open, else straight to the handler.
     *
     * @param message what happened
     * @param e the exception
     */
    public void reportFromAnyThread(String message, Throwable e) {
        errors.fromAnyThread(ExceptionContext.of(message, e));
    }

    /**
     * Starts tracking a stored exception until someone reads it: it is reported if nobody does.
     *
     * @param f the failed future
     * @param error its exception
     * @param source where the future was created (debug mode), or {@code null}
     * @return the tracker, to mark retrieved
     */
    public Unretrieved trackUnretrieved(FutureImpl<?> f, Throwable error, StackTraceElement[] source) {
        return errors.track(f, error, source);
    }

    // ------------------------------------------------------------------ callback contexts

    /**
     * Runs a user callback in the contextvars context of its scheduling, reporting what it throws.
     *
     * @param callback the callback
     * @param carrier the object that stands for its context (its handle)
     * @param ctx the context's map
     */
    void runCallback(Runnable callback, Object carrier, Object[] ctx) {
        callbackCtx = ctx;
        callbackCarrier = carrier;
        try {
            callback.run();
        } catch (Throwable e) {
            reportCallbackError(e, null, carrier);
        } finally {
            callbackCtx = null;
            callbackCarrier = null;
        }
    }

    /** {@return the object standing for the running callback's context, or null outside callbacks} */
    public Object callbackCarrier() {
        return callbackCarrier;
    }

    /** {@return the running callback's contextvars map} */
    public Object[] callbackContext() {
        return callbackCtx;
    }

    /**
     * Replaces the running callback's contextvars map (a ContextVar set in a callback).
     *
     * @param ctx the new map
     */
    public void setCallbackContext(Object[] ctx) {
        callbackCtx = ctx;
    }

    /**
     * Installs a callback context: a done-callback or a Context.run body runs in it. The caller
     * restores the previous one with the same method.
     *
     * @param carrier the object standing for the context, or {@code null} for none
     * @param ctx the context's map
     */
    public void setCallbackScope(Object carrier, Object[] ctx) {
        callbackCarrier = carrier;
        callbackCtx = ctx;
    }

    // ------------------------------------------------------------------ debug

    @Override
    public void setDebug(boolean debug) {
        this.debug = debug;
        if (debug && running) {
            SlowStepWatchdog.watch(this);
        }
    }

    @Override
    public boolean getDebug() {
        return debug;
    }

    @Override
    public void setSlowCallbackDuration(Duration duration) {
        steps.setSlowNs(Durations.toNanos(duration));
    }

    @Override
    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(steps.slowNs());
    }

    /** {@return the caller's stack without the runtime's own frames: where a task or handle was made} */
    public static StackTraceElement[] callerFrames() {
        StackTraceElement[] all = new Throwable().getStackTrace();
        int i = 0;
        while (i < all.length && (all[i].getClassName().startsWith("io.asyncio4j.internal.")
                || all[i].getClassName().equals("io.asyncio4j.Asyncio"))) {
            i++;
        }
        return Arrays.copyOfRange(all, i, all.length);
    }

    /** {@return how many times other threads have woken this loop's selector} */
    public long selectorWakeups() {
        return io.wakeups();
    }

    /** {@return how many iterations the loop has run (loop thread; elsewhere a recent value)} */
    public long iterations() {
        return iterations;
    }

    /** {@return how many entries are ready to run (loop thread; elsewhere a recent value)} */
    public int readyCount() {
        return ready.size();
    }

    /** {@return how many timers are scheduled (loop thread; elsewhere a recent value)} */
    public int timerCount() {
        return timers.size();
    }

    /** {@return how many executor calls have not handed their outcome back yet} */
    public int executorCallsInFlight() {
        return executor.inFlight();
    }

    @Override
    public LoopStatistics statistics() {
        if (!onLoopThread() && running) {
            throw new IllegalStateException("statistics() is read on the loop's thread: from another thread, "
                    + "take Observe.snapshot(loop) and its statistics()");
        }
        long runningNs = ranNs + (runStartedNs != 0 ? System.nanoTime() - runStartedNs : 0);
        return new LoopStatistics(tasks.liveCount(), ready.size(), timers.size(), iterations, io.wakeups(),
                executor.inFlight(), runningNs, idleNs, steps.slowestNs(), steps.slowest(), lag.samples(),
                lag.percentile(0.5), lag.percentile(0.99), lag.max());
    }

    @Override
    public String toString() {
        return "<EventLoop " + (closed ? "closed" : running ? "running" : "idle") + " driver=" + tasks.driverName()
                + " tasks=" + tasks.liveCount() + " ready=" + ready.size() + " timers=" + timers.size()
                + (virtualTime != null ? " virtual-clock" : "") + (debug ? " debug" : "") + ">";
    }
}
