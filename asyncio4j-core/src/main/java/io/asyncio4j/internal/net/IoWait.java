package io.asyncio4j.internal.net;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.HandleImpl;
import io.asyncio4j.internal.loop.IoHandler;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.Waitable;

/*
 * Implementation overview
 *
 * One IoWait per channel, the attachment of the channel's selection key, created by the first wait
 * and kept with the key (a channel has one key per selector, and a cancelled key cannot be
 * replaced before the next select). Like asyncio's reader and writer callbacks per file
 * descriptor, it holds at most one reader (OP_READ or OP_ACCEPT) and one writer (OP_WRITE or
 * OP_CONNECT), so one task may receive while another sends on the same channel. A reader or writer
 * is either a waiting task (the sock* functions: woken once) or a callback (addReader/addWriter:
 * called whenever the channel is ready, until removed). The key's interest is the union of what
 * they wait for; a woken or cancelled task's operation leaves the interest at once. A task's slot
 * stays taken until it resumes, so a second task or a callback in the same direction is an error,
 * never a silent takeover; a new callback replaces an earlier one, as asyncio's add_reader does.
 * Loop thread only (or the task holding the loop, in compatibility mode).
 */

/**
 * Parks tasks until a non-blocking channel is ready (for connect, accept and the {@code sock*}
 * functions), and calls the loop's reader and writer callbacks. A wait cancelled with its task
 * leaves the channel as it was.
 */
public final class IoWait implements IoHandler {
    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;

    private SelectionKey key;
    private TaskImpl<?> reader;
    private int readerOps;
    private TaskImpl<?> writer;
    private int writerOps;
    private HandleImpl readerCallback;
    private HandleImpl writerCallback;
    private final Waitable readerWait = new ChannelWait(true);
    private final Waitable writerWait = new ChannelWait(false);

    /** A task's wait for its channel to be readable or writable; named after the channel in dumps. */
    private final class ChannelWait implements Waitable {
        private final boolean read;

        ChannelWait(boolean read) {
            this.read = read;
        }

        @Override
        public boolean cancelWaiter(TaskImpl<?> task, String message) {
            if (read) {
                readerOps = 0;
            } else {
                writerOps = 0;
            }
            updateInterest();
            task.wakeCancelled(message);
            return true;
        }

        @Override
        public String toString() {
            SelectionKey k = key;
            return (read ? "readable: " : "writable: ") + (k != null ? k.channel() : "a channel");
        }
    }

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
        SelectionKey k = loop.io().keyFor(channel);
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
        TaskImpl<?> t = TaskImpl.currentOrThrow(what);
        EventLoopImpl loop = t.loop();
        checkUsable(loop, channel);
        t.checkpointBeforeSuspend();
        IoWait w = of(loop, channel);
        boolean read = (ops & READ_OPS) != 0;
        if (read ? w.readerCallback != null : w.writerCallback != null) {
            throw new IllegalStateException(what + ": a callback is registered to "
                    + (read ? "read from" : "write to") + " " + channel + " (addReader/addWriter)");
        }
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

    /**
     * Calls {@code callback} whenever the channel is ready to read (to accept, for a server
     * channel) or to write (to finish connecting, for a socket that is), replacing an earlier
     * callback: asyncio's {@code add_reader} and {@code add_writer}.
     *
     * @param loop the loop
     * @param channel the channel, non-blocking
     * @param h the callback's handle, carrying its context; cancelling it removes the callback at
     *     the channel's next readiness
     * @param read whether it is the reader, else the writer
     * @return the handle
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     */
    public static HandleImpl addCallback(EventLoopImpl loop, SelectableChannel channel, HandleImpl h,
                                         boolean read) throws java.nio.channels.ClosedChannelException {
        checkUsable(loop, channel);
        int valid = channel.validOps();
        int ops = read ? valid & READ_OPS
                : connecting(channel) ? SelectionKey.OP_CONNECT : valid & SelectionKey.OP_WRITE;
        if (ops == 0) {
            throw new IllegalArgumentException(channel + " cannot be " + (read ? "read from" : "written to"));
        }
        IoWait w = of(loop, channel);
        if (read ? w.reader != null : w.writer != null) {
            throw new IllegalStateException("a task is waiting to " + (read ? "receive from " : "send to ") + channel);
        }
        HandleImpl old;
        if (read) {
            old = w.readerCallback;
            w.readerCallback = h;
            w.readerOps = ops;
        } else {
            old = w.writerCallback;
            w.writerCallback = h;
            w.writerOps = ops;
        }
        if (old != null) {
            old.cancel();
        }
        w.updateInterest();
        return h;
    }

    /**
     * Removes the read or write callback of a channel: asyncio's {@code remove_reader} and
     * {@code remove_writer}.
     *
     * @param loop the loop
     * @param channel the channel
     * @param read whether to remove the reader, else the writer
     * @return whether there was one
     */
    public static boolean removeCallback(EventLoopImpl loop, SelectableChannel channel, boolean read) {
        SelectionKey k = loop.io().keyFor(channel);
        if (k == null || !k.isValid() || !(k.attachment() instanceof IoWait w)) {
            return false;
        }
        HandleImpl h = read ? w.readerCallback : w.writerCallback;
        if (h == null) {
            return false;
        }
        h.cancel();
        w.dropCallback(read);
        return true;
    }

    private static boolean connecting(SelectableChannel channel) {
        return channel instanceof java.nio.channels.SocketChannel sc && sc.isConnectionPending();
    }

    private static IoWait of(EventLoopImpl loop, SelectableChannel channel)
            throws java.nio.channels.ClosedChannelException {
        SelectionKey k = loop.io().keyFor(channel);
        if (k != null && k.isValid()) {
            return (IoWait) k.attachment();
        }
        IoWait w = new IoWait();
        w.key = loop.io().register(channel, 0, w);
        return w;
    }

    private void dropCallback(boolean read) {
        if (read) {
            readerCallback = null;
            readerOps = 0;
        } else {
            writerCallback = null;
            writerOps = 0;
        }
        updateInterest();
    }

    @Override
    public void ioReady(int readyOps) {
        if (reader != null && (readyOps & readerOps) != 0) {
            readerOps = 0;
            wake(reader, readerWait);
        } else if (readerCallback != null && (readyOps & readerOps) != 0) {
            fire(readerCallback, true);
        }
        if (writer != null && (readyOps & writerOps) != 0) {
            writerOps = 0;
            wake(writer, writerWait);
        } else if (writerCallback != null && (readyOps & writerOps) != 0) {
            fire(writerCallback, false);
        }
        updateInterest();
    }

    /** Runs a callback, or removes it if its handle was cancelled (as asyncio does). */
    private void fire(HandleImpl h, boolean read) {
        if (h.isCancelled()) {
            if (h == (read ? readerCallback : writerCallback)) {
                dropCallback(read);
            }
            return;
        }
        h.run();
    }

    private static void wake(TaskImpl<?> t, Waitable on) {
        if (t.isParkedOn(on)) {
            t.wake();
        }
    }
}
