package io.asyncio4j.queue;

import java.util.ArrayDeque;

/**
 * A queue that returns its newest item first: asyncio's {@code LifoQueue}.
 *
 * @param <T> the item type
 */
public final class LifoQueue<T> extends Queue<T> {

    /**
     * Creates a bounded stack.
     *
     * @param maxsize the capacity; zero or less means unbounded
     */
    public LifoQueue(int maxsize) {
        super(maxsize, new Stack<>());
    }

    private static final class Stack<T> extends ArrayDeque<T> implements Storage<T> {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void store(T item) {
            addLast(item);
        }

        @Override
        public T take() {
            return pollLast();
        }

        @Override
        public int count() {
            return size();
        }
    }
}
