package io.asyncio4j.queue;

import java.util.Comparator;

/**
 * A queue that returns its smallest item first: asyncio's {@code PriorityQueue}. Items are
 * compared by their natural order or by a comparator; equal items come out in no particular
 * order.
 *
 * @param <T> the item type
 */
public final class PriorityQueue<T> extends Queue<T> {

    /**
     * Creates a bounded priority queue ordered by the items' natural order.
     *
     * @param maxsize the capacity; zero or less means unbounded
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * Creates a bounded priority queue ordered by a comparator.
     *
     * @param maxsize the capacity; zero or less means unbounded
     * @param comparator the order, or {@code null} for the natural order
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, new Heap<>(comparator));
    }

    private static final class Heap<T> extends java.util.PriorityQueue<T> implements Storage<T> {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        Heap(Comparator<? super T> comparator) {
            super(comparator);
        }

        @Override
        public void store(T item) {
            add(item);
        }

        @Override
        public T take() {
            return poll();
        }

        @Override
        public int count() {
            return size();
        }
    }
}
