package io.asyncio4j.internal;

import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.ExceptionHandler;
import io.asyncio4j.Future;
import io.asyncio4j.Handle;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.TimerHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/*
 * Implementation overview
 *
 * Threads. `owner` is the platform thread that runs the loop (the thread that created it until it
 * first runs). Every field is touched by the owner only, with these exceptions: `inbox` (any
 * thread adds), `needsWakeup` (the wake-up handshake), `closed` and `running` (read anywhere), and
 * `unretrieved` (a concurrent set). Tasks run on their own virtual threads, but only while the
 * owner has handed them its thread (see Driver), so for this class they are the owner.
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
 * Wake-up handshake: before blocking, the owner sets needsWakeup and re-checks the inbox; a
 * producer adds to the inbox, then wakes the selector only if it swaps needsWakeup from true to
 * false. So a burst of callSoonThreadsafe calls costs one selector wake-up.
 */

/** The one implementation of {@link EventLoop}. */
public final class EventLoopImpl implements EventLoop {
    private static final System.Logger LOG = System.getLogger("io.asyncio4j");
    private static final ThreadLocal<EventLoopImpl> RUNNING = new ThreadLocal<>();
    private static final VarHandle NEEDS_WAKEUP;
    private static final long DEFAULT_SLOW_NS = 100_000_000L;
    private static final boolean DEBUG_DEFAULT = Boolean.getBoolean("asyncio4j.debug");

    static {
        try {
            NEEDS_WAKEUP = MethodHandles.lookup().findVarHandle(EventLoopImpl.class, "needsWakeup", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ReadyQueue ready = new ReadyQueue();
    final Timers timers = new Timers();
    /** The clock as read at the start of this iteration's timer phase: a cheap lower bound of now. */
    private long iterationNs = System.nanoTime();
    private final Inbox inbox = new Inbox();
    private final Selector selector;
    final Driver driver;

    /** The loop's platform thread. */
    volatile Thread owner;
    private volatile boolean running;
    private volatile boolean closed;
    private boolean stopping;
    @SuppressWarnings("unused") // accessed through NEEDS_WAKEUP
    private volatile boolean needsWakeup;
    private long timerSeq;
    /** Entries placed in front of the current iteration's snapshot (eager starts). */
    int frontAdded;

    /** Generators whose producer started and has not ended, closed at shutdown. */
    final java.util.Set<AsyncGeneratorImpl<?>> liveGenerators = new java.util.LinkedHashSet<>();

    private TaskImpl<?> liveHead;
    private int liveCount;
    boolean eagerTasks;

    /** The context of the callback running now, and the handle that stands for it (see Contexts). */
    Object[] callbackCtx;
    Object callbackCarrier;

    private ExceptionHandler handler;
    final Set<Unretrieved> unretrieved = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ConcurrentLinkedQueue<ExceptionContext> pendingReports =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private volatile ExecutorService defaultExecutor;
    private volatile boolean executorShutdown;

    volatile boolean debug;
    private long slowNs = DEFAULT_SLOW_NS;
    /** Debug mode: the step running now, read by the watchdog. */
    volatile long stepStartNs;
    volatile TaskImpl<?> stepTask;
    /** Debug mode: the last task stepped during the current entry, to name a slow entry. */
    private TaskImpl<?> steppedTask;
    volatile StackTraceElement[] stepSample;
    TaskImpl<?> debugStarting;
    private final Map<Object, TaskImpl<?>> debugContinuations = new IdentityHashMap<>();

    /** Creates a loop owned by the calling thread until it first runs. */
    public EventLoopImpl() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event loop's selector", e);
        }
        owner = Thread.currentThread();
        driver = Drivers.create(this);
        debug = DEBUG_DEFAULT;
        Drivers.primeOnce();
    }

    /** {@return the loop running on the current thread (in a task or a callback), or null} */
    public static EventLoopImpl runningOrNull() {
        TaskImpl<?> t = TaskImpl.current();
        if (t != null) {
            return t.loop;
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

    // ------------------------------------------------------------------ threads

    /** {@return whether the caller runs on this loop: its owner thread or one of its tasks} */
    public boolean onLoopThread() {
        Thread t = Thread.currentThread();
        return t == owner || ownsThread(t);
    }

    /** {@return whether t is the virtual thread of one of this loop's tasks} */
    boolean ownsThread(Thread t) {
        return t.isVirtual() && t.getUncaughtExceptionHandler() instanceof TaskImpl<?> k && k.loop == this;
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

    /** How many times other threads woke the selector (a test checks that bursts coalesce). */
    private final LongAdder selectorWakeups = new LongAdder();

    /** Queues an entry from a thread that is not the loop's and wakes the loop. */
    void addFromOtherThread(Runnable r) {
        inbox.add(r);
        if ((boolean) NEEDS_WAKEUP.getVolatile(this) && NEEDS_WAKEUP.compareAndSet(this, true, false)) {
            selectorWakeups.increment();
            selector.wakeup();
        }
    }

    /** {@return how many times other threads have woken this loop's selector} */
    long selectorWakeups() {
        return selectorWakeups.sum();
    }

    // ------------------------------------------------------------------ scheduling

    @Override
    public Handle callSoon(Runnable callback) {
        checkNotClosed();
        checkThread("callSoon()");
        HandleImpl h = new HandleImpl(this, requireCallback(callback), debug ? here() : null, Contexts.current());
        ready.add(h);
        return h;
    }

    /** Queues an internal entry for the next iteration. */
    void callSoonInternal(Runnable r) {
        ready.add(r);
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable callback) {
        if (delay == null) {
            throw new NullPointerException("delay");
        }
        return callAt(time() + toNanos(delay), callback);
    }

    @Override
    public TimerHandle callAt(long whenNanos, Runnable callback) {
        checkNotClosed();
        checkThread("callAt()");
        TimerHandleImpl h = new TimerHandleImpl(this, requireCallback(callback), debug ? here() : null,
                Contexts.current());
        h.whenNs = whenNanos;
        addTimer(h);
        return h;
    }

    /** Adds a timer entry to the heap; equal deadlines keep scheduling order. */
    void addTimer(TimerEntry e) {
        e.seq = timerSeq++;
        // iterationNs is fresh whenever timers are pending (runOnce reads the clock then)
        timers.add(e, timers.isEmpty() ? time() : iterationNs);
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        checkNotClosed();
        HandleImpl h = new HandleImpl(this, requireCallback(callback), debug ? here() : null, Contexts.current());
        addFromOtherThread(h);
        return h;
    }

    @Override
    public Handle addReader(java.nio.channels.SelectableChannel channel, Runnable callback)
            throws java.nio.channels.ClosedChannelException {
        checkThread("addReader()");
        checkNotClosed();
        return IoWait.addCallback(this, channel, requireCallback(callback), true);
    }

    @Override
    public boolean removeReader(java.nio.channels.SelectableChannel channel) {
        checkThread("removeReader()");
        return IoWait.removeCallback(this, channel, true);
    }

    @Override
    public Handle addWriter(java.nio.channels.SelectableChannel channel, Runnable callback)
            throws java.nio.channels.ClosedChannelException {
        checkThread("addWriter()");
        checkNotClosed();
        return IoWait.addCallback(this, channel, requireCallback(callback), false);
    }

    @Override
    public boolean removeWriter(java.nio.channels.SelectableChannel channel) {
        checkThread("removeWriter()");
        return IoWait.removeCallback(this, channel, false);
    }

    // ------------------------------------------------------------------ signals

    /** A signal handler of this loop: the JVM-level handler installed and the one it replaced. */
    private record SignalRegistration(Object installed, Object replaced, HandleImpl callback) {
    }

    /** Loop thread only. */
    private final java.util.Map<String, SignalRegistration> signalHandlers = new java.util.HashMap<>();

    @Override
    public void addSignalHandler(String signal, Runnable callback) {
        checkThread("addSignalHandler()");
        checkNotClosed();
        String name = signalName(signal);
        HandleImpl h = new HandleImpl(this, requireCallback(callback), debug ? here() : null, Contexts.current());
        Object installed = Signals.handler("asyncio4j handler of SIG" + name + " on " + this, () -> {
            if (!closed && !h.isCancelled()) {
                try {
                    addFromOtherThread(h);
                } catch (RuntimeException closedMeanwhile) {
                    // the loop closed as the signal arrived: nobody to run it
                }
            }
        });
        Object replaced = Signals.swap(name, installed);
        SignalRegistration earlier = signalHandlers.get(name);
        if (earlier != null) {
            earlier.callback().cancel();
            replaced = earlier.replaced(); // what was there before this loop's first handler
        }
        signalHandlers.put(name, new SignalRegistration(installed, replaced, h));
    }

    @Override
    public boolean removeSignalHandler(String signal) {
        checkThread("removeSignalHandler()");
        String name = signalName(signal);
        SignalRegistration r = signalHandlers.remove(name);
        if (r == null) {
            return false;
        }
        r.callback().cancel();
        Signals.restore(name, r.installed(), r.replaced());
        return true;
    }

    private static String signalName(String signal) {
        if (signal == null || signal.isBlank()) {
            throw new IllegalArgumentException("no signal name");
        }
        String s = signal.strip().toUpperCase(java.util.Locale.ROOT);
        return s.startsWith("SIG") ? s.substring(3) : s;
    }

    private static Runnable requireCallback(Runnable callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        return callback;
    }

    @Override
    public long time() {
        return System.nanoTime();
    }

    static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
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
        TaskImpl<T> t = newTask(name, coroutine);
        startTask(t, eagerTasks);
        return t;
    }

    @Override
    public Task<Void> createTask(String name, ThrowingRunnable coroutine) {
        TaskImpl<Void> t = newVoidTask(name, coroutine);
        startTask(t, eagerTasks);
        return t;
    }

    @Override
    public <T> Task<T> createEagerTask(String name, Callable<T> coroutine) {
        TaskImpl<T> t = newTask(name, coroutine);
        startTask(t, true);
        return t;
    }

    @Override
    public Task<Void> createEagerTask(String name, ThrowingRunnable coroutine) {
        TaskImpl<Void> t = newVoidTask(name, coroutine);
        startTask(t, true);
        return t;
    }

    /** Creates a task and adds it to the live list, without starting it. */
    <T> TaskImpl<T> newTask(String name, Callable<T> coroutine) {
        return newTaskOf(name, coroutine);
    }

    /** Creates a task whose body returns nothing, without an adapter. */
    TaskImpl<Void> newVoidTask(String name, ThrowingRunnable coroutine) {
        return newTaskOf(name, coroutine);
    }

    /** Starts a task whose body returns nothing at the back of the ready queue, whatever the task factory. */
    public TaskImpl<Void> startLazyTask(String name, ThrowingRunnable coroutine) {
        TaskImpl<Void> t = newVoidTask(name, coroutine);
        startTask(t, false);
        return t;
    }

    private <T> TaskImpl<T> newTaskOf(String name, Object coroutine) {
        if (coroutine == null) {
            throw new NullPointerException("coroutine");
        }
        checkNotClosed();
        checkThread("createTask()");
        TaskImpl<T> t = new TaskImpl<>(this, name, coroutine);
        t.ctx = Contexts.current();
        if (debug) {
            t.createdAt = here();
        }
        TaskImpl<?> h = liveHead;
        t.nextLive = h;
        if (h != null) {
            h.prevLive = t;
        }
        liveHead = t;
        liveCount++;
        return t;
    }

    /** Starts a new task: its first step is queued, or run now when eager and the loop runs. */
    void startTask(TaskImpl<?> t, boolean eager) {
        if (eager && running && onLoopThread()) {
            driver.startEager(t);
        } else {
            driver.start(t);
        }
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
        if (debug && t.resume != null) {
            debugContinuations.remove(t.resume);
        }
    }

    /** {@return the tasks of this loop that are not done} */
    public List<TaskImpl<?>> liveTasks() {
        return TaskImpl.snapshot(liveHead);
    }

    /** Closes the generators still open, each in a task, and waits for them; loop not running. */
    void shutdownAsyncGenerators() {
        if (liveGenerators.isEmpty()) {
            return;
        }
        List<AsyncGeneratorImpl<?>> open = new ArrayList<>(liveGenerators);
        TaskImpl<Void> closer = newVoidTask("asyncio4j-shutdown-asyncgens", () -> {
            for (AsyncGeneratorImpl<?> g : open) {
                g.closeAtShutdown();
            }
        });
        startTask(closer, false);
        runUntilComplete(closer);
    }

    /** {@return how many tasks of this loop are not done} */
    public int liveTaskCount() {
        return liveCount;
    }

    @Override
    public void setEagerTaskFactory(boolean eager) {
        this.eagerTasks = eager;
    }

    @Override
    public boolean isEagerTaskFactory() {
        return eagerTasks;
    }

    /** Wraps a void coroutine body. */
    static Callable<Void> callable(ThrowingRunnable body) {
        if (body == null) {
            throw new NullPointerException("coroutine");
        }
        return () -> {
            body.run();
            return null;
        };
    }

    CancelledError newCancelledError(String message) {
        return new CancelledError(message, debug);
    }

    // ------------------------------------------------------------------ running

    @Override
    public <T> T runUntilComplete(Future<T> future) {
        if (!(future instanceof FutureImpl<T> f) || f.loop != this) {
            throw new IllegalArgumentException("the future must belong to this loop");
        }
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
        EventLoopImpl other = runningOrNull();
        if (other != null) {
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
        if (debug) {
            SlowStepWatchdog.watch(this);
        }
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            running = false;
            RUNNING.remove();
            SlowStepWatchdog.unwatch(this);
        }
    }

    private void runOnce() {
        long timeoutNs;
        if (!ready.isEmpty() || stopping) {
            timeoutNs = 0;
        } else if (!timers.isEmpty()) {
            timeoutNs = Math.max(0, timers.nextDeadline() - time());
        } else {
            timeoutNs = -1;
        }
        poll(timeoutNs);
        if (!timers.isEmpty()) {
            iterationNs = time();
            timers.collectDue(iterationNs, ready);
        }
        int n = ready.size();
        frontAdded = 0;
        while (n > 0) {
            Object e = ready.poll();
            n--;
            if (debug) {
                runEntryDebug(e);
            } else {
                runEntry(e);
            }
            if (frontAdded != 0) {
                n += frontAdded;
                frontAdded = 0;
            }
        }
    }

    private void runEntry(Object e) {
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
        try {
            if (timeoutNs != 0 && inbox.isEmpty()) {
                NEEDS_WAKEUP.setVolatile(this, true);
                if (inbox.isEmpty()) {
                    if (timeoutNs < 0) {
                        selector.select(keyAction);
                    } else {
                        selector.select(keyAction, Math.max(1, (timeoutNs + 999_999) / 1_000_000));
                    }
                }
                NEEDS_WAKEUP.setVolatile(this, false);
                if (Thread.interrupted()) {
                    LOG.log(System.Logger.Level.DEBUG, "event loop thread interrupted; interrupt ignored");
                }
            } else if (!selector.keys().isEmpty()) {
                selector.selectNow(keyAction);
            }
        } catch (IOException e) {
            callExceptionHandler(ExceptionContext.of("selector failure", e));
        }
        Runnable r;
        int budget = 65536;
        while (budget-- > 0 && (r = inbox.poll()) != null) {
            ready.add(r);
        }
    }

    /** Hands a ready key to its channel's handler; the selector calls it for each ready key. */
    private final Consumer<SelectionKey> keyAction = this::onReadyKey;

    private void onReadyKey(SelectionKey k) {
        if (k.isValid() && k.attachment() instanceof IoHandler h) {
            try {
                h.ioReady(k.readyOps());
            } catch (Throwable t) {
                reportCallbackError(t, null, h);
            }
        }
    }

    /**
     * Registers a non-blocking channel with the loop's selector; the handler is called on the loop
     * thread when the channel is ready for one of {@code ops}. Loop thread.
     *
     * @param channel the channel, already non-blocking
     * @param ops the interest set
     * @param handler the handler
     * @return the key
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     */
    public SelectionKey register(java.nio.channels.SelectableChannel channel, int ops, IoHandler handler)
            throws java.nio.channels.ClosedChannelException {
        checkNotClosed();
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid()) {
            // a channel has one key per selector: reuse it (a wait for connect becomes the transport's)
            key.attach(handler);
            key.interestOps(ops);
            return key;
        }
        return channel.register(selector, ops, handler);
    }

    /**
     * Returns the key of a channel registered with this loop's selector.
     *
     * @param channel the channel
     * @return its key, or null
     */
    public SelectionKey keyFor(java.nio.channels.SelectableChannel channel) {
        return channel.keyFor(selector);
    }

    /**
     * Cancels a key registered with {@link #register}. Loop thread.
     *
     * @param key the key, or null
     */
    public void deregister(SelectionKey key) {
        if (key != null) {
            key.cancel();
        }
    }

    /** The loop's read buffer: every channel read lands here first (loop thread only). */
    private final java.nio.ByteBuffer readBuffer = java.nio.ByteBuffer.allocateDirect(256 * 1024);

    /** {@return the shared read buffer, cleared} */
    public java.nio.ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    /** Runs a task's step now, from the loop thread; in debug mode, names it for the watchdog. */
    void runStep(TaskImpl<?> t) {
        if (!debug) {
            driver.runNow(t);
            return;
        }
        TaskImpl<?> previous = stepTask;
        stepTask = t;
        steppedTask = t;
        try {
            driver.runNow(t);
        } finally {
            stepTask = previous;
        }
    }

    @Override
    public void stop() {
        stopping = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void close() {
        if (running) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        closed = true;
        for (String signal : new ArrayList<>(signalHandlers.keySet())) {
            removeSignalHandler(signal);
        }
        ready.clear();
        timers.clear();
        while (inbox.poll() != null) {
            // dropped, as asyncio drops scheduled callbacks
        }
        liveHead = null;
        liveCount = 0;
        ExecutorService ex = defaultExecutor;
        if (ex != null) {
            executorShutdown = true;
            ex.shutdown();
        }
        closeRegisteredSockets();
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the selector failed", e);
        }
        drainReports();
        for (Unretrieved u : new ArrayList<>(unretrieved)) {
            u.reportAtClose();
        }
        unretrieved.clear();
    }

    /**
     * Closes the sockets of transports and servers still open: without their loop nothing would
     * ever read, write or close them (asyncio leaves them to the garbage collector, with a
     * ResourceWarning). Channels of the user's own are left open. Reported in debug mode.
     */
    private void closeRegisteredSockets() {
        List<String> closedNow = new ArrayList<>();
        for (java.nio.channels.SelectionKey k : new ArrayList<>(selector.keys())) {
            if (k.attachment() instanceof IoHandler h) {
                String what = h.loopClosing();
                if (what != null) {
                    closedNow.add(what);
                }
            }
        }
        if (!closedNow.isEmpty()) {
            LOG.log(debug ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                    "the loop closed these, left open: " + closedNow);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ executor

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
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> call, boolean copyContext) {
        checkNotClosed();
        if (call == null) {
            throw new NullPointerException("call");
        }
        if (copyContext) {
            Object[] ctx = Contexts.current();
            Callable<T> plain = call;
            call = () -> Contexts.callIn(ctx, plain);
        }
        Executor ex = executor != null ? executor : defaultExecutor();
        FutureImpl<T> f = new FutureImpl<>(this);
        Callable<T> work = call;
        Runnable job = () -> {
            T value = null;
            Throwable error = null;
            try {
                value = work.call();
            } catch (Throwable e) {
                error = e;
            }
            T v = value;
            Throwable err = error;
            try {
                callSoonThreadsafe(() -> completeFromThread(f, v, err));
            } catch (IllegalStateException closedLoop) {
                if (err != null) {
                    reportFromAnyThread(ExceptionContext.of("executor call failed after its loop closed", err));
                }
            }
        };
        try {
            ex.execute(job);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException(executorShutdown && executor == null
                    ? "Executor shutdown has been called" : "executor rejected the call", e);
        }
        return f;
    }

    /**
     * Completes a future with what a thread computed. If the future was cancelled meanwhile, a
     * result is dropped and an exception goes to the exception handler, so no error is lost.
     */
    private <T> void completeFromThread(FutureImpl<T> f, T value, Throwable error) {
        if (f.isDone()) {
            if (error != null) {
                callExceptionHandler(new ExceptionContext("a cancelled executor call failed", error, f, null, List.of()));
            }
            return;
        }
        if (error != null) {
            f.setException(error);
        } else {
            f.setResult(value);
        }
    }

    private ExecutorService defaultExecutor() {
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            synchronized (this) {
                ex = defaultExecutor;
                if (ex == null) {
                    if (executorShutdown) {
                        throw new IllegalStateException("Executor shutdown has been called");
                    }
                    int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
                    AtomicInteger count = new AtomicInteger();
                    ThreadPoolExecutor tpe = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, "asyncio4j-executor-" + count.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    tpe.allowCoreThreadTimeOut(true);
                    defaultExecutor = ex = tpe;
                }
            }
        }
        return ex;
    }

    @Override
    public List<java.net.InetSocketAddress> getAddrInfo(String host, int port) throws java.net.UnknownHostException {
        List<java.net.InetAddress> addresses;
        try {
            addresses = Connector.resolve(java.util.Objects.requireNonNull(host, "host"));
        } catch (java.net.UnknownHostException e) {
            throw e;
        } catch (IOException e) {
            throw Sneaky.rethrow(e);
        }
        List<java.net.InetSocketAddress> out = new ArrayList<>(addresses.size());
        for (java.net.InetAddress a : addresses) {
            out.add(new java.net.InetSocketAddress(a, port));
        }
        return out;
    }

    @Override
    public String getNameInfo(java.net.InetAddress address) {
        java.net.InetAddress a = java.util.Objects.requireNonNull(address, "address");
        return Combinators.await(runInExecutor(a::getHostName));
    }

    @Override
    public void setDefaultExecutor(ExecutorService executor) {
        if (executor == null) {
            throw new NullPointerException("executor");
        }
        synchronized (this) {
            if (executorShutdown) {
                throw new IllegalStateException("Executor shutdown has been called");
            }
            defaultExecutor = executor;
        }
    }

    @Override
    public void shutdownDefaultExecutor(Duration timeout) {
        executorShutdown = true;
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            return;
        }
        ex.shutdown();
        long limitNs = timeout == null ? Long.MAX_VALUE : toNanos(timeout);
        TaskImpl<?> t = TaskImpl.current();
        if (t != null && t.loop == this) {
            FutureImpl<Boolean> done = new FutureImpl<>(this);
            Thread waiter = new Thread(() -> {
                boolean finished;
                try {
                    finished = ex.awaitTermination(limitNs, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    finished = false;
                }
                boolean f = finished;
                callSoonThreadsafe(() -> {
                    if (!done.isDone()) {
                        done.setResult(f);
                    }
                });
            }, "asyncio4j-executor-shutdown");
            waiter.setDaemon(true);
            waiter.start();
            t.awaitFuture(done);
            warnIfNotTerminated(done.result());
        } else {
            try {
                warnIfNotTerminated(ex.awaitTermination(limitNs, TimeUnit.NANOSECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void warnIfNotTerminated(boolean terminated) {
        if (!terminated) {
            LOG.log(System.Logger.Level.WARNING, "the default executor did not finish joining its threads "
                    + "within the timeout");
        }
    }

    // ------------------------------------------------------------------ errors

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        this.handler = handler;
    }

    @Override
    public ExceptionHandler getExceptionHandler() {
        return handler;
    }

    @Override
    public void callExceptionHandler(ExceptionContext context) {
        ExceptionHandler h = handler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(this, context);
        } catch (Throwable e) {
            defaultExceptionHandler(new ExceptionContext("Unhandled error in exception handler", e,
                    context.future(), context.handle(), context.sourceTraceback()));
            defaultExceptionHandler(context);
        }
    }

    @Override
    public void defaultExceptionHandler(ExceptionContext context) {
        StringBuilder sb = new StringBuilder(context.message());
        if (context.future() != null) {
            sb.append(System.lineSeparator()).append("future: ").append(context.future());
        }
        if (context.handle() != null) {
            sb.append(System.lineSeparator()).append("handle: ").append(context.handle());
        }
        if (!context.sourceTraceback().isEmpty()) {
            sb.append(System.lineSeparator()).append("created at:");
            for (StackTraceElement e : context.sourceTraceback()) {
                sb.append(System.lineSeparator()).append("\tat ").append(e);
            }
        }
        if (context.exception() != null) {
            LOG.log(System.Logger.Level.ERROR, sb.toString(), context.exception());
        } else {
            LOG.log(System.Logger.Level.ERROR, sb.toString());
        }
    }

    /** Reports an exception from a callback entry; the loop goes on. */
    void reportCallbackError(Throwable e, FutureImpl<?> future, Object entry) {
        Handle handle = entry instanceof Handle h ? h : null;
        StackTraceElement[] src = entry instanceof HandleImpl h ? h.source : null;
        callExceptionHandler(new ExceptionContext("Exception in callback " + entry, e, future, handle,
                src == null ? List.of() : List.of(src)));
    }

    /** Runs a user callback in its context, reporting what it throws. */
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

    /**
     * Reports from any thread: through the loop while it is open, else straight to the handler.
     * Reports wait in their own queue, which close() drains, so none is dropped with the inbox.
     */
    void reportFromAnyThread(ExceptionContext context) {
        pendingReports.add(context);
        if (!closed) {
            try {
                addFromOtherThread(this::drainReports);
            } catch (RuntimeException closedMeanwhile) {
                // close() drains the queue
            }
        }
        if (closed) {
            drainReports();
        }
    }

    private void drainReports() {
        ExceptionContext c;
        while ((c = pendingReports.poll()) != null) {
            callExceptionHandler(c);
        }
    }

    void reportFromAnyThread(String message, Throwable e) {
        reportFromAnyThread(ExceptionContext.of(message, e));
    }

    /** Starts tracking a stored exception until someone reads it. */
    void trackUnretrieved(FutureImpl<?> f, Throwable error) {
        StackTraceElement[] src = f instanceof TaskImpl<?> t ? t.createdAt : null;
        Unretrieved u = new Unretrieved(this, f, error, src);
        f.unretrieved = u;
        unretrieved.add(u);
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
        slowNs = toNanos(duration);
    }

    @Override
    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(slowNs);
    }

    long slowNs() {
        return slowNs;
    }

    static StackTraceElement[] here() {
        StackTraceElement[] all = new Throwable().getStackTrace();
        int i = 0;
        while (i < all.length && (all[i].getClassName().startsWith("io.asyncio4j.internal.")
                || all[i].getClassName().equals("io.asyncio4j.Asyncio"))) {
            i++;
        }
        return java.util.Arrays.copyOfRange(all, i, all.length);
    }

    /** Debug mode: remembers which task a continuation belongs to, to name slow steps. */
    void debugTrackStarting(Runnable continuation) {
        TaskImpl<?> t = debugStarting;
        if (t != null) {
            debugStarting = null;
            if (t.resume == null) {
                t.resume = continuation;
            }
            debugContinuations.put(continuation, t);
        }
    }

    private void runEntryDebug(Object e) {
        TaskImpl<?> t = e instanceof Runnable r ? debugContinuations.get(r) : null;
        TaskImpl<?> previous = stepTask;
        if (t != null) {
            stepTask = t;
        }
        stepSample = null;
        steppedTask = null;
        long t0 = System.nanoTime();
        stepStartNs = t0;
        try {
            runEntry(e);
        } finally {
            stepStartNs = 0;
            long took = System.nanoTime() - t0;
            TaskImpl<?> named = stepTask != null ? stepTask : steppedTask;
            stepTask = previous;
            if (took >= slowNs) {
                logSlowStep(e, named, took);
            }
        }
    }

    private void logSlowStep(Object entry, TaskImpl<?> task, long tookNs) {
        StringBuilder sb = new StringBuilder("Executing ");
        sb.append(task != null ? task.toString() : String.valueOf(entry));
        sb.append(String.format(" took %.3f seconds", tookNs / 1e9));
        StackTraceElement[] sample = stepSample;
        if (sample != null && sample.length > 0) {
            sb.append("; it was running at:");
            for (StackTraceElement f : sample) {
                sb.append(System.lineSeparator()).append("\tat ").append(f);
            }
        }
        LOG.log(System.Logger.Level.WARNING, sb.toString());
    }

    @Override
    public String toString() {
        return "<EventLoop " + (closed ? "closed" : running ? "running" : "idle") + " driver=" + driver.name()
                + " tasks=" + liveCount + " ready=" + ready.size() + " timers=" + timers.size()
                + (debug ? " debug" : "") + ">";
    }
}
