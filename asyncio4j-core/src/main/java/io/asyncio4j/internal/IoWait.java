package io.asyncio4j.internal;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * Parks the current task until a non-blocking channel is ready (for connect, accept and the
 * {@code sock*} functions). The channel keeps its selection key between waits, with no interest
 * in between: a channel has one key per selector, and a cancelled key cannot be replaced before
 * the next select. A wait cancelled with its task leaves the channel as it was.
 */
public final class IoWait implements IoHandler, Waitable {
    private final TaskImpl<?> task;
    private SelectionKey key;

    private IoWait(TaskImpl<?> task) {
        this.task = task;
    }

    /**
     * Waits, from a task, until the channel is ready for {@code ops}. Suspends; checks for
     * cancellation.
     *
     * @param channel the channel, non-blocking
     * @param ops the operations to wait for
     * @param what the operation's name, for error messages
     * @throws IOException if the channel is closed
     */
    public static void await(SelectableChannel channel, int ops, String what) throws IOException {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking: configureBlocking(false)");
        }
        TaskImpl<?> t = Combinators.requireTask(what);
        t.checkpointBeforeSuspend();
        IoWait w = new IoWait(t);
        w.key = t.loop.register(channel, ops, w);
        try {
            t.park(w);
        } finally {
            if (w.key.isValid() && w.key.attachment() == w) {
                w.key.interestOps(0);
            }
        }
    }

    @Override
    public void ioReady(int readyOps) {
        if (key.isValid()) {
            key.interestOps(0);
        }
        if (task.isParked() && task.parkedOn == this) {
            task.wake();
        }
    }

    @Override
    public boolean cancelWaiter(TaskImpl<?> t, String message) {
        if (key.isValid()) {
            key.interestOps(0);
        }
        t.wakeCancelled(message);
        return true;
    }
}
