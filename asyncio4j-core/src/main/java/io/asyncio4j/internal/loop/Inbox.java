package io.asyncio4j.internal.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop's thread-safe entrance: a multi-producer, single-consumer linked queue (Vyukov's
 * design). Producers on any thread pay one atomic exchange; the loop thread drains it. FIFO per
 * producer.
 */
final class Inbox {
    private static final class Node {
        Runnable value;
        volatile Node next;

        Node(Runnable value) {
            this.value = value;
        }
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(Inbox.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Consumer side: the node before the first element. */
    private Node head;
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Node tail;

    Inbox() {
        Node stub = new Node(null);
        head = stub;
        tail = stub;
    }

    /** Adds an entry; any thread. */
    void add(Runnable r) {
        Node n = new Node(r);
        Node prev = (Node) TAIL.getAndSet(this, n);
        prev.next = n;
    }

    /** {@return whether the inbox looks empty}; exact on the consumer thread when no producer is mid-add */
    boolean isEmpty() {
        return head.next == null && head == tail;
    }

    /** Takes the next entry, or {@code null}; consumer thread only. */
    Runnable poll() {
        Node next = head.next;
        if (next == null) {
            if (head != tail) {
                // a producer swapped the tail but has not linked its node yet: wait for it
                while ((next = head.next) == null) {
                    Thread.onSpinWait();
                }
            } else {
                return null;
            }
        }
        Runnable r = next.value;
        next.value = null;
        head = next;
        return r;
    }
}
