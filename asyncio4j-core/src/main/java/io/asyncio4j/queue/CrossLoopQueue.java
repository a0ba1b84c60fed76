package io.asyncio4j.queue;

import io.asyncio4j.EventLoop;
import io.asyncio4j.internal.group.MpscQueue;
import io.asyncio4j.internal.group.Waiting;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.ParkingLot;
import io.asyncio4j.internal.task.TaskImpl;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/*
 * Implementation overview
 *
 * Producers (any loop, any thread) add to a lock-free MPSC list, `incoming`; the consumer loop
 * moves items from it into `local`, a plain deque only its thread touches, where its getters
 * (tasks parked in a ParkingLot, as asyncio.Queue's) take them. A producer on the consumer's own
 * loop goes straight to `local`.
 *
 * Wake-up once per burst: after adding, a producer sets `drainScheduled` from 0 to 1; only the one
 * that wins sends the consumer loop a callback (one callSoonThreadsafe, counted in `wakeups`).
 * The callback first resets the flag, then drains `incoming`. A producer whose add comes after the
 * drain finds the flag reset and schedules again; one whose add comes before the reset is drained
 * by that callback. So no item waits unseen, and a burst that arrives while the consumer is busy
 * costs one callback however many items it has. A getter also drains `incoming` itself before it
 * parks, so a busy consumer does not wait for the callback to see items already there.
 *
 * `size` counts items put and not yet taken (reserved before the add, released on take), so it
 * is what a bound checks: a put reserves a slot by CAS below `maxsize`. A putter that finds no
 * slot parks on a CompletableFuture in `spaceWaiters` (it may be on another loop); each take
 * completes the first waiter still waiting. A putter re-checks `size` after listing itself, and
 * a taker releases its slot before it looks at the list, so one of them sees the other. A waiter
 * woken and then cancelled passes the wake-up on.
 *
 * Shutdown: a producer reserves its slot, then checks `shutdown`; shutdown() sets `shutdown`, then
 * the consumer checks `size`. Either the producer sees the shutdown (releases its slot and fails)
 * or the consumer sees the slot (and waits for the item it stands for). So a getter fails with
 * QueueShutDown only when no item is left or on its way.
 */

/**
 * A queue whose consumer is one event loop and whose producers may be tasks of any loop or any
 * other thread: hand-offs between the loops of a {@link io.asyncio4j.LoopGroup}, or from worker
 * threads to a loop. A burst of items from other threads wakes the consumer's loop once (one
 * thread-safe callback per burst, not one per item; {@link #statistics()} counts them). Items of
 * one producer arrive in the order it put them.
 *
 * {@snippet :
 * CrossLoopQueue<Job> jobs = new CrossLoopQueue<>(group.loop(0), 1024);
 * group.submit(1, () -> jobs.put(job));                 // a task of loop 1: suspends while full
 * group.submit(0, () -> { while (true) handle(jobs.get()); });  // the consumer, on loop 0
 * }
 *
 * <p>{@link #get()} and {@link #getNowait()} are for the consumer's loop only;
 * {@link #putNowait} works anywhere, {@link #put} suspends a task of any loop or blocks a thread
 * that runs no loop while the queue is full. Items still queued when the consumer's loop closes
 * are dropped with it.
 *
 * @param <T> the item type
 */
public final class CrossLoopQueue<T> {
    /**
     * A snapshot of the queue's counters.
     *
     * @param qsize items put and not yet taken
     * @param wakeups thread-safe callbacks sent to the consumer's loop so far (one per burst)
     */
    public record Statistics(int qsize, long wakeups) {
    }

    private static final VarHandle DRAIN_SCHEDULED;

    static {
        try {
            DRAIN_SCHEDULED = MethodHandles.lookup().findVarHandle(CrossLoopQueue.class, "drainScheduled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoopImpl consumer;
    private final int maxsize;
    private final MpscQueue<T> incoming = new MpscQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong wakeups = new AtomicLong();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> spaceWaiters = new ConcurrentLinkedQueue<>();
    @SuppressWarnings("unused") // accessed through DRAIN_SCHEDULED
    private volatile int drainScheduled;
    private volatile boolean shutdown;

    // the consumer's loop only
    private final ArrayDeque<T> local = new ArrayDeque<>();
    private final ParkingLot getters = new ParkingLot();
    private final Runnable drain = this::drainIncoming;
    /** A getter woken for an item was cancelled before taking it: the item goes on. */
    private final Runnable passItemOn = () -> {
        if (!local.isEmpty()) {
            getters.wakeFirst();
        }
    };

    /**
     * Creates an unbounded queue consumed on a loop.
     *
     * @param consumer the loop whose tasks take the items
     */
    public CrossLoopQueue(EventLoop consumer) {
        this(consumer, 0);
    }

    /**
     * Creates a queue holding at most {@code maxsize} items, consumed on a loop.
     *
     * @param consumer the loop whose tasks take the items
     * @param maxsize the capacity; zero or less means unbounded
     * @throws IllegalArgumentException if the loop is not one of the runtime's
     */
    public CrossLoopQueue(EventLoop consumer, int maxsize) {
        Objects.requireNonNull(consumer, "consumer");
        if (!(consumer instanceof EventLoopImpl l)) {
            throw new IllegalArgumentException("not an event loop of the runtime: " + consumer);
        }
        this.consumer = l;
        this.maxsize = maxsize;
    }

    // ------------------------------------------------------------------ producers

    /**
     * Adds an item, waiting while the queue is full: a task of any loop suspends, a thread that
     * runs no loop blocks. Does not wait when there is room. Checks for cancellation while it
     * waits: a put cancelled while waiting adds nothing.
     *
     * @param item the item, not null
     * @throws QueueShutDown if the queue is shut down
     * @throws IllegalStateException if it must wait in a callback on a loop's thread, or the
     *     consumer's loop is closed
     */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        while (!reserve()) {
            waitForSpace();
        }
        enqueue(item);
    }

    /**
     * Adds an item without waiting. Any thread; never suspends.
     *
     * @param item the item, not null
     * @throws QueueFull if the queue is full
     * @throws QueueShutDown if the queue is shut down
     * @throws IllegalStateException if the consumer's loop is closed
     */
    public void putNowait(T item) {
        Objects.requireNonNull(item, "item");
        if (!reserve()) {
            throw new QueueFull();
        }
        enqueue(item);
    }

    /** Takes a slot; false when full. @throws QueueShutDown if shut down */
    private boolean reserve() {
        if (consumer.isClosed()) {
            throw new IllegalStateException("the consumer's loop of " + this + " is closed");
        }
        if (shutdown) {
            throw new QueueShutDown();
        }
        if (maxsize <= 0) {
            size.incrementAndGet();
        } else {
            int s;
            do {
                s = size.get();
                if (s >= maxsize) {
                    return false;
                }
            } while (!size.compareAndSet(s, s + 1));
        }
        if (shutdown) {
            // shut down as we reserved: the consumer may be counting on this slot; give it back
            size.decrementAndGet();
            scheduleDrain();
            throw new QueueShutDown();
        }
        return true;
    }

    private void enqueue(T item) {
        if (consumer.onLoopThread() && consumer.isRunning()) {
            local.addLast(item);
            getters.wakeFirst();
            return;
        }
        incoming.add(item);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            wakeups.incrementAndGet();
            try {
                consumer.enqueueThreadsafe(drain);
            } catch (IllegalStateException closed) {
                // the consumer's loop closed: its items went with it
            }
        }
    }

    private void waitForSpace() {
        CompletableFuture<Void> w = new CompletableFuture<>();
        spaceWaiters.add(w);
        if (size.get() < maxsize || shutdown) {
            w.complete(null); // room appeared meanwhile: retry (a wake-up meant for us is spent on it)
            return;
        }
        try {
            Waiting.await(w, "CrossLoopQueue.put");
        } catch (Throwable e) {
            if (!w.complete(null)) {
                wakeSpaceWaiter(); // we were woken for a slot we will not take
            }
            throw e;
        }
    }

    private void wakeSpaceWaiter() {
        CompletableFuture<Void> w;
        while ((w = spaceWaiters.poll()) != null) {
            if (w.complete(null)) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------ the consumer

    /** The consumer's loop: the callback of a burst. */
    private void drainIncoming() {
        DRAIN_SCHEDULED.setVolatile(this, 0);
        int moved = pull();
        if (shutdown) {
            getters.wakeAll();
            return;
        }
        for (int i = 0; i < moved && getters.hasParked(); i++) {
            getters.wakeFirst();
        }
    }

    private int pull() {
        int n = 0;
        T item;
        while ((item = incoming.poll()) != null) {
            local.addLast(item);
            n++;
        }
        return n;
    }

    /**
     * Removes and returns the next item, waiting while the queue is empty. Does not suspend when
     * an item is there. Suspends; checks for cancellation: a get cancelled while waiting loses no
     * item.
     *
     * @return the item
     * @throws QueueShutDown if the queue is shut down and no item is left
     * @throws IllegalStateException if the caller is not a task of the consumer's loop
     */
    public T get() {
        TaskImpl<?> t = TaskImpl.currentOrThrow("CrossLoopQueue.get");
        checkConsumer();
        while (true) {
            pull();
            if (!local.isEmpty()) {
                return take();
            }
            if (shutdown && size.get() == 0) {
                throw new QueueShutDown();
            }
            // items come from other threads: while a getter waits, the loop is not deadlocked
            consumer.expectOutsideCompletion();
            try {
                getters.park(t, passItemOn);
            } finally {
                consumer.outsideCompletionArrived();
            }
        }
    }

    /**
     * Removes and returns the next item without waiting. Never suspends.
     *
     * @return the item
     * @throws QueueEmpty if no item is there
     * @throws QueueShutDown if the queue is shut down and no item is left
     * @throws IllegalStateException if the caller does not run on the consumer's loop
     */
    public T getNowait() {
        checkConsumer();
        pull();
        if (local.isEmpty()) {
            if (shutdown && size.get() == 0) {
                throw new QueueShutDown();
            }
            throw new QueueEmpty();
        }
        return take();
    }

    private T take() {
        T item = local.pollFirst();
        size.decrementAndGet();
        if (maxsize > 0 && !spaceWaiters.isEmpty()) {
            wakeSpaceWaiter();
        }
        return item;
    }

    private void checkConsumer() {
        if (!consumer.onLoopThread()) {
            throw new IllegalStateException("a CrossLoopQueue is consumed on its own loop only (" + consumer
                    + "), not on " + Thread.currentThread() + ": hand items to it with put or putNowait");
        }
    }

    // ------------------------------------------------------------------ state

    /** {@return items put and not yet taken (from other threads, a moment's value)} */
    public int qsize() {
        return size.get();
    }

    /** {@return the capacity; zero or less means unbounded} */
    public int maxsize() {
        return maxsize;
    }

    /** {@return whether {@link #shutdown()} was called} */
    public boolean isShutdown() {
        return shutdown;
    }

    /** {@return the loop whose tasks take the items} */
    public EventLoop consumer() {
        return consumer;
    }

    /** {@return a snapshot of the counters} Any thread. */
    public Statistics statistics() {
        return new Statistics(size.get(), wakeups.get());
    }

    /**
     * Shuts the queue down (asyncio 3.13's {@code Queue.shutdown}): puts fail from now on, waiting
     * putters included; the consumer takes what is left, then its gets fail. Any thread; never
     * suspends.
     */
    public void shutdown() {
        shutdown = true;
        CompletableFuture<Void> w;
        while ((w = spaceWaiters.poll()) != null) {
            w.complete(null);
        }
        if (consumer.onLoopThread() && consumer.isRunning()) {
            getters.wakeAll();
        } else {
            scheduleDrain(); // a drain already pending reads the flag after it was set: it wakes them
        }
    }

    @Override
    public String toString() {
        return "<CrossLoopQueue consumer=" + consumer + " maxsize=" + maxsize + " qsize=" + size.get()
                + (shutdown ? " shutdown" : "") + ">";
    }
}
