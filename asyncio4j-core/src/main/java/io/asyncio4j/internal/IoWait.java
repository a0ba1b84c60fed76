package io.asyncio4j.internal;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/*
 * Implementation overview
 *
 * One IoWait per channel, the attachment of the channel's selection key, created by the first wait
 * and kept with the key (a channel has one key per selector, and a cancelled key cannot be
 * replaced before the next select). Like asyncio's reader and writer callbacks per file
 * descriptor, it holds at most one waiting reader (OP_READ or OP_ACCEPT) and one waiting writer
 * (OP_WRITE or OP_CONNECT), so one task may receive while another sends on the same channel. The
 * key's interest is the union of what the waiters still wait for; a woken or cancelled waiter's
 * operation leaves the interest at once. The waiter slot stays taken until the waiting task
 * resumes, so a second task waiting in the same direction is an error, never a silent takeover.
 * Loop thread only (or the task holding the loop, in compatibility mode).
 */

/**
 * Parks tasks until a non-blocking channel is ready (for connect, accept and the {@code sock*}
 * functions). A wait cancelled with its task leaves the channel as it was.
 */
public final class IoWait implements IoHandler {
    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;

    private SelectionKey key;
    private TaskImpl<?> reader;
    private int readerOps;
    private TaskImpl<?> writer;
    private int writerOps;
    private final Waitable readerWait = (task, message) -> {
        readerOps = 0;
        updateInterest();
        task.wakeCancelled(message);
        return true;
    };
    private final Waitable writerWait = (task, message) -> {
        writerOps = 0;
        updateInterest();
        task.wakeCancelled(message);
        return true;
    };

    private IoWait() {
    }

    /**
     * Checks that a channel is non-blocking and not driven by a transport or a server of this
     * loop (asyncio's {@code _ensure_fd_no_transport}).
     *
     * @param loop the loop
     * @param channel the channel
     * @throws IllegalArgumentException if the channel is blocking
     * @throws IllegalStateException if a transport or a server uses the channel
     */
    public static void checkUsable(EventLoopImpl loop, SelectableChannel channel) {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking: configureBlocking(false)");
        }
        SelectionKey k = loop.keyFor(channel);
        if (k != null && k.isValid() && !(k.attachment() instanceof IoWait)) {
            throw new IllegalStateException("the channel is used by a transport or a server: " + channel);
        }
    }

    /**
     * Waits, from a task, until the channel is ready for {@code ops}. Suspends; checks for
     * cancellation.
     *
     * @param channel the channel, non-blocking
     * @param ops the operations to wait for: OP_READ or OP_ACCEPT, or OP_WRITE or OP_CONNECT
     * @param what the operation's name, for error messages
     * @throws IOException if the channel is closed
     * @throws IllegalStateException if another task already waits on this channel in the same
     *     direction, or a transport or a server uses the channel
     */
    public static void await(SelectableChannel channel, int ops, String what) throws IOException {
        TaskImpl<?> t = Combinators.requireTask(what);
        EventLoopImpl loop = t.loop;
        checkUsable(loop, channel);
        t.checkpointBeforeSuspend();
        IoWait w;
        SelectionKey k = loop.keyFor(channel);
        if (k != null && k.isValid()) {
            w = (IoWait) k.attachment();
        } else {
            w = new IoWait();
            w.key = loop.register(channel, 0, w);
        }
        boolean read = (ops & READ_OPS) != 0;
        if (read ? w.reader != null : w.writer != null) {
            throw new IllegalStateException(what + ": another task is already waiting to "
                    + (read ? "receive from" : "send to") + " " + channel);
        }
        if (read) {
            w.reader = t;
            w.readerOps = ops;
        } else {
            w.writer = t;
            w.writerOps = ops;
        }
        w.updateInterest();
        try {
            t.park(read ? w.readerWait : w.writerWait);
        } finally {
            if (read) {
                w.reader = null;
                w.readerOps = 0;
            } else {
                w.writer = null;
                w.writerOps = 0;
            }
            w.updateInterest();
        }
    }

    private void updateInterest() {
        int ops = readerOps | writerOps;
        SelectionKey k = key;
        if (k.isValid() && k.interestOps() != ops) {
            k.interestOps(ops);
        }
    }

    @Override
    public void ioReady(int readyOps) {
        if (reader != null && (readyOps & readerOps) != 0) {
            readerOps = 0;
            wake(reader, readerWait);
        }
        if (writer != null && (readyOps & writerOps) != 0) {
            writerOps = 0;
            wake(writer, writerWait);
        }
        updateInterest();
    }

    private static void wake(TaskImpl<?> t, Waitable on) {
        if (t.isParked() && t.parkedOn == on) {
            t.wake();
        }
    }
}
