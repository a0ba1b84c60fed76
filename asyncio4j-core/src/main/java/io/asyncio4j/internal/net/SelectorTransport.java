package io.asyncio4j.internal.net;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.IoHandler;
import io.asyncio4j.transport.ExtraInfo;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.List;

/*
 * Implementation overview
 *
 * What the TCP/Unix stream transport and the UDP transport share: a non-blocking channel
 * registered with the loop's selector (this object is the key's attachment), its interest set,
 * a send queue with asyncio's write flow control (WriteFlowControl, which the pipe transports of
 * subprocesses share), and one way to end:
 *
 *   OPEN --close()--> CLOSING (queue draining) --queue empty--> LOSS_SCHEDULED --> LOST
 *     \--abort() / fatal error---------------------------------------^
 *
 * The loss runs from its own loop entry, never inside close(): it deregisters the key, closes the
 * channel and calls the protocol's connectionLost exactly once. If the loop closes first, the
 * channel is closed and nothing more is called. Subclasses keep their own queue and read logic.
 * Loop thread only.
 */

/** The common part of the loop's socket transports: interest, flow control, closing and loss. */
abstract class SelectorTransport implements IoHandler {
    /** The life of the transport; see the overview. */
    enum State { OPEN, CLOSING, LOSS_SCHEDULED, LOST }

    final EventLoopImpl loop;
    final SelectableChannel channel;
    SelectionKey key;
    private int interest;
    State state = State.OPEN;

    /** Bytes (or datagram costs) queued for sending. */
    long pendingBytes;
    private final WriteFlowControl flow;

    SelectorTransport(EventLoopImpl loop, SelectableChannel channel) {
        this.loop = loop;
        this.channel = channel;
        this.flow = new WriteFlowControl(loop, this::pauseProtocol, this::resumeProtocol);
    }

    /** Registers the channel for reading, with this transport as the key's attachment. */
    final void register() throws IOException {
        key = loop.io().register(channel, SelectionKey.OP_READ, this);
        interest = SelectionKey.OP_READ;
    }

    // ------------------------------------------------------------------ what subclasses add

    /** The queue is dropped (abort, fatal error). */
    abstract void clearQueue();

    /** {@return whether nothing is queued for sending} */
    abstract boolean queueEmpty();

    /** Calls the protocol's connectionLost; the channel is closed already. */
    abstract void notifyLost(Throwable error);

    /** Calls the protocol's pauseWriting. */
    abstract void pauseProtocol();

    /** Calls the protocol's resumeWriting. */
    abstract void resumeProtocol();

    /** {@return the peer's address, or {@code null}} */
    abstract SocketAddress peer();

    /** {@return the local address, or {@code null}} */
    abstract SocketAddress local();

    // ------------------------------------------------------------------ interest

    final int interest() {
        return interest;
    }

    final void setInterest(int ops) {
        if (ops != interest) {
            interest = ops;
            if (key.isValid()) {
                key.interestOps(ops);
            }
        }
    }

    final void addInterest(int op) {
        setInterest(interest | op);
    }

    final void removeInterest(int op) {
        setInterest(interest & ~op);
    }

    // ------------------------------------------------------------------ flow control

    /** Pauses the protocol if the queue grew above the high-water mark. */
    final void maybePauseWriting() {
        flow.maybePause(pendingBytes);
    }

    /** Resumes a paused protocol if the queue drained to the low-water mark. */
    final void maybeResumeWriting() {
        flow.maybeResume(pendingBytes);
    }

    /**
     * asyncio's set_write_buffer_limits: sets the marks, then pauses or resumes as needed.
     *
     * @param high the high-water mark
     * @param low the low-water mark
     */
    public final void setWriteBufferLimits(int high, int low) {
        flow.setLimits(high, low, pendingBytes);
    }

    /** {@return the bytes queued for sending} */
    public final long getWriteBufferSize() {
        return pendingBytes;
    }

    /** {@return the high water mark} */
    public final int getWriteBufferHigh() {
        return flow.high();
    }

    /** {@return the low water mark} */
    public final int getWriteBufferLow() {
        return flow.low();
    }

    // ------------------------------------------------------------------ closing

    /** {@return whether close() or abort() was called, or the connection failed} */
    public final boolean isClosing() {
        return state != State.OPEN;
    }

    /** {@return whether connectionLost has run (the channel is closed)} */
    public final boolean isLost() {
        return state == State.LOST;
    }

    /** {@return whether the loss is scheduled or done: no more I/O} */
    final boolean lossScheduled() {
        return state == State.LOSS_SCHEDULED || state == State.LOST;
    }

    /** asyncio's close(): stops reading; the loss comes once the queue is flushed. */
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        removeInterest(SelectionKey.OP_READ);
        if (queueEmpty()) {
            scheduleLoss(null);
        }
    }

    /** asyncio's abort(): drops the queue, the loss comes at once. */
    public final void abort() {
        forceClose(null);
    }

    final void forceClose(Throwable error) {
        if (state == State.OPEN) {
            state = State.CLOSING;
        }
        clearQueue();
        pendingBytes = 0;
        setInterest(0);
        scheduleLoss(error);
    }

    /** The queue drained while closing: the loss may come. */
    final void queueDrained() {
        if (state == State.CLOSING) {
            scheduleLoss(null);
        }
    }

    /** Calls connectionLost from its own loop entry, never from inside close(). */
    final void scheduleLoss(Throwable error) {
        if (lossScheduled()) {
            return;
        }
        state = State.LOSS_SCHEDULED;
        loop.enqueue((Runnable) () -> lose(error));
    }

    private void lose(Throwable error) {
        if (state == State.LOST) {
            return;
        }
        state = State.LOST;
        if (key != null) {
            key.cancel();
        }
        closeChannel();
        try {
            notifyLost(error);
        } catch (Throwable e) {
            loop.callExceptionHandler(ExceptionContext.of("protocol.connectionLost() call failed on " + this, e));
        }
    }

    /** A protocol callback threw: report it, then close at once with that error. */
    final void protocolFailed(Throwable error, String what) {
        loop.callExceptionHandler(new ExceptionContext("Fatal error: " + what + " on " + this, error, null, null,
                List.of()));
        forceClose(error);
    }

    @Override
    public final String loopClosing() {
        if (!channel.isOpen()) {
            return null;
        }
        String what = toString();
        state = State.LOST; // no callback can run any more
        closeChannel();
        return what;
    }

    @Override
    public final String openResource() {
        return channel.isOpen() && state != State.LOST ? toString() : null;
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }

    // ------------------------------------------------------------------ extra info

    /**
     * asyncio's get_extra_info for what every socket transport has.
     *
     * @param <T> the type of the information
     * @param k which information
     * @return it, or {@code null}
     */
    @SuppressWarnings("unchecked")
    public <T> T getExtraInfo(ExtraInfo<T> k) {
        Object value;
        if (k == ExtraInfo.PEERNAME) {
            value = peer();
        } else if (k == ExtraInfo.SOCKNAME) {
            value = local();
        } else if (k == ExtraInfo.SOCKET) {
            value = (NetworkChannel) channel;
        } else {
            value = null;
        }
        return (T) value;
    }
}
