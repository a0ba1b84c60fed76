package io.asyncio4j.internal.group;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A multi-producer, single-consumer linked queue (Vyukov's design, as the loop's inbox): a
 * producer on any thread pays one atomic exchange; one consumer thread polls. FIFO per producer.
 *
 * @param <T> the item type
 */
public final class MpscQueue<T> {
    private static final class Node<T> {
        T value;
        volatile Node<T> next;

        Node(T value) {
            this.value = value;
        }
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MpscQueue.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Consumer side: the node before the first item. */
    private Node<T> head;
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Node<T> tail;

    /** Creates an empty queue. */
    public MpscQueue() {
        Node<T> stub = new Node<>(null);
        head = stub;
        tail = stub;
    }

    /**
     * Adds an item; any thread.
     *
     * @param item the item, not null
     */
    public void add(T item) {
        Node<T> n = new Node<>(item);
        @SuppressWarnings("unchecked")
        Node<T> prev = (Node<T>) TAIL.getAndSet(this, n);
        prev.next = n;
    }

    /** {@return the next item, or {@code null}}; the consumer thread only */
    public T poll() {
        Node<T> next = head.next;
        if (next == null) {
            if (head == tail) {
                return null;
            }
            // a producer swapped the tail but has not linked its node yet: it is a few instructions away
            while ((next = head.next) == null) {
                Thread.onSpinWait();
            }
        }
        T item = next.value;
        next.value = null;
        head = next;
        return item;
    }
}
