package io.asyncio4j.queue;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.ParkingLot;
import java.util.ArrayDeque;

/*
 * Implementation overview
 *
 * Items live in the storage hooks (a FIFO deque here; a heap or a stack in the subclasses).
 * Waiting getters, putters and joiners are the tasks themselves, parked in FIFO ParkingLots: no future
 * or node is allocated per wait. A put wakes the first getter (and a get the first putter); the
 * woken task re-checks, as in asyncio. A waiter cancelled while still listed is removed; a
 * waiter cancelled after being woken passes the wake-up to the next one, so no item and no slot
 * is lost. Loop thread only; bound to the loop of its first blocking use.
 */

/**
 * A first-in, first-out queue for tasks of one event loop: asyncio's {@code Queue}.
 *
 * {@snippet :
 * Queue<String> queue = new Queue<>(100);
 * createTask(() -> { while (true) { handle(queue.get()); queue.taskDone(); } });
 * queue.put("job");      // suspends while the queue is full
 * queue.join();          // suspends until every item was marked done
 * }
 *
 * <p>Not thread-safe: use it from the tasks and callbacks of one loop (hand items over from other
 * threads with {@code loop.callSoonThreadsafe(() -> queue.putNowait(item))}).
 *
 * @param <T> the item type
 */
public class Queue<T> {
    /** Where the items are kept: the order a queue kind returns them in. */
    interface Storage<T> {
        void store(T item);

        T take();

        int count();
    }

    /**
     * FIFO storage.
     *
     * @param <T> the item type
     */
    private static final class Fifo<T> extends ArrayDeque<T> implements Storage<T> {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void store(T item) {
            addLast(item);
        }

        @Override
        public T take() {
            return pollFirst();
        }

        @Override
        public int count() {
            return size();
        }
    }

    private final int maxsize;
    private final Storage<T> items;
    @SuppressWarnings("this-escape") // the lot keeps the reference only to name the queue in task dumps
    private final ParkingLot getters = new ParkingLot(this, null);
    @SuppressWarnings("this-escape")
    private final ParkingLot putters = new ParkingLot(this, null);
    @SuppressWarnings("this-escape")
    private final ParkingLot joiners = new ParkingLot(this, null);
    /** A putter woken for a free slot was cancelled before taking it: the slot goes on. */
    private final Runnable passSlotOn = () -> {
        if (!isFull()) {
            putters.wakeFirst();
        }
    };
    /** A getter woken for an item was cancelled before taking it: the item goes on. */
    private final Runnable passItemOn = () -> {
        if (!isEmpty()) {
            getters.wakeFirst();
        }
    };
    private int unfinished;
    private boolean shutdown;
    private EventLoopImpl loop;

    /** Creates an unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * Creates a queue holding at most {@code maxsize} items.
     *
     * @param maxsize the capacity; zero or less means unbounded
     */
    public Queue(int maxsize) {
        this(maxsize, new Fifo<>());
    }

    Queue(int maxsize, Storage<T> storage) {
        this.maxsize = maxsize;
        this.items = storage;
    }

    private void store(T item) {
        items.store(item);
    }

    private T take() {
        return items.take();
    }

    private int count() {
        return items.count();
    }

    // ------------------------------------------------------------------ state

    /** {@return the number of items in the queue} */
    public int qsize() {
        return count();
    }

    /** {@return the capacity; zero or less means unbounded} */
    public int maxsize() {
        return maxsize;
    }

    /** {@return whether the queue holds no item} */
    public boolean isEmpty() {
        return count() == 0;
    }

    /** {@return whether the queue holds {@link #maxsize()} items (never, for an unbounded queue)} */
    public boolean isFull() {
        return maxsize > 0 && count() >= maxsize;
    }

    /** {@return whether {@link #shutdown} was called} */
    public boolean isShutdown() {
        return shutdown;
    }

    // ------------------------------------------------------------------ put and get

    /**
     * Adds an item, waiting while the queue is full. Does not suspend when there is room.
     * Suspends; checks for cancellation: a put cancelled while waiting adds nothing.
     *
     * @param item the item
     * @throws QueueShutDown if the queue is shut down
     */
    public void put(T item) {
        while (isFull()) {
            if (shutdown) {
                throw new QueueShutDown();
            }
            putters.park(task(), passSlotOn);
        }
        putNowait(item);
    }

    /**
     * Adds an item without waiting. Never suspends.
     *
     * @param item the item
     * @throws QueueFull if the queue is full
     * @throws QueueShutDown if the queue is shut down
     */
    public void putNowait(T item) {
        if (shutdown) {
            throw new QueueShutDown();
        }
        if (isFull()) {
            throw new QueueFull();
        }
        store(item);
        unfinished++;
        getters.wakeFirst();
    }

    /**
     * Removes and returns the next item, waiting while the queue is empty. Does not suspend when
     * an item is there. Suspends; checks for cancellation: a get cancelled while waiting loses no
     * item.
     *
     * @return the item
     * @throws QueueShutDown if the queue is shut down and empty
     */
    public T get() {
        while (isEmpty()) {
            if (shutdown) {
                throw new QueueShutDown();
            }
            getters.park(task(), passItemOn);
        }
        return getNowait();
    }

    /**
     * Removes and returns the next item without waiting. Never suspends.
     *
     * @return the item
     * @throws QueueEmpty if the queue is empty
     * @throws QueueShutDown if the queue is shut down and empty
     */
    public T getNowait() {
        if (isEmpty()) {
            if (shutdown) {
                throw new QueueShutDown();
            }
            throw new QueueEmpty();
        }
        T item = take();
        putters.wakeFirst();
        return item;
    }

    // ------------------------------------------------------------------ join

    /**
     * Marks one item taken from the queue as processed; {@link #join()} returns once every item
     * put was marked. Never suspends.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        if (unfinished <= 0) {
            throw new IllegalStateException("taskDone() called too many times");
        }
        if (--unfinished == 0) {
            joiners.wakeAll();
        }
    }

    /**
     * Waits until every item put into the queue has been marked done with {@link #taskDone()}.
     * Suspends when items are unfinished; checks for cancellation.
     */
    public void join() {
        while (unfinished > 0) {
            joiners.park(task());
        }
    }

    /**
     * Shuts the queue down (asyncio 3.13): puts fail from now on; gets drain the remaining items,
     * then fail; waiting getters and putters are woken to fail. With {@code immediate}, the
     * remaining items are dropped (each counting as done, which releases {@link #join()}) and gets
     * fail at once. Never suspends.
     *
     * @param immediate whether to drop the remaining items
     */
    public void shutdown(boolean immediate) {
        shutdown = true;
        if (immediate) {
            while (!isEmpty()) {
                take();
                if (unfinished > 0) {
                    unfinished--;
                }
            }
            if (unfinished == 0) {
                joiners.wakeAll();
            }
        }
        getters.wakeAll();
        putters.wakeAll();
    }

    /** Shuts the queue down without dropping items; see {@link #shutdown(boolean)}. */
    public void shutdown() {
        shutdown(false);
    }

    // ------------------------------------------------------------------ helpers

    private TaskImpl<?> task() {
        TaskImpl<?> t = TaskImpl.currentOrThrow("Queue.get/put/join");
        loop = ParkingLot.bind(loop, t, this);
        return t;
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " maxsize=" + maxsize + " qsize=" + qsize()
                + (getters.hasParked() ? " getters=" + getters.countParked() : "")
                + (putters.hasParked() ? " putters=" + putters.countParked() : "")
                + (unfinished == 0 ? "" : " tasks=" + unfinished) + (shutdown ? " shutdown" : "") + ">";
    }
}
