package io.asyncio4j.internal.loop;

import io.asyncio4j.ExceptionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/*
 * Implementation overview
 *
 * The loop's one NIO selector. Every socket of the loop is a non-blocking channel registered here
 * with an IoHandler as its key's attachment. select() collects the ready keys in an array (the
 * selector's action form, so no selected-key set is built) and hands them to their handlers once
 * it has returned: the action runs while the selector holds its monitor, and a handler may start a
 * task eagerly; a virtual thread mounted while its carrier holds a monitor must not park (the JVM
 * then moves the monitor with the frozen frames, or crashes in thaw). One direct read buffer
 * serves every read of the loop: a handler reads into it and passes the bytes on before it
 * returns. Loop thread only, except wakeup(), which any thread may call.
 */

/** The loop's I/O readiness: the selector, its registrations and the shared read buffer. */
public final class SelectorPoller {
    private static final System.Logger LOG = System.getLogger("io.asyncio4j");

    private final EventLoopImpl loop;
    private final Selector selector;
    private final Consumer<SelectionKey> keyAction = this::collect;
    private SelectionKey[] readyKeys = new SelectionKey[64];
    private int readyKeyCount;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    /** How many times other threads woke the selector (a test checks that bursts coalesce). */
    private final LongAdder wakeups = new LongAdder();
    /** How many keys the last select found ready. */
    private int lastReady;

    SelectorPoller(EventLoopImpl loop) {
        this.loop = loop;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event loop's selector", e);
        }
    }

    /**
     * Waits for I/O and dispatches the ready keys to their handlers.
     *
     * @param timeoutNs 0 to poll, negative to wait until woken, else the longest wait
     * @return how many keys were ready
     */
    int select(long timeoutNs) {
        try {
            if (timeoutNs == 0) {
                lastReady = selector.keys().isEmpty() ? 0 : selector.selectNow(keyAction);
            } else if (timeoutNs < 0) {
                lastReady = selector.select(keyAction);
            } else {
                lastReady = selector.select(keyAction, Math.max(1, (timeoutNs + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            loop.callExceptionHandler(ExceptionContext.of("selector failure", e));
            lastReady = 0;
        }
        dispatch();
        return lastReady;
    }

    private void collect(SelectionKey k) {
        if (readyKeyCount == readyKeys.length) {
            readyKeys = Arrays.copyOf(readyKeys, readyKeys.length * 2);
        }
        readyKeys[readyKeyCount++] = k;
    }

    private void dispatch() {
        int n = readyKeyCount;
        readyKeyCount = 0;
        SelectionKey[] keys = readyKeys;
        for (int i = 0; i < n; i++) {
            SelectionKey k = keys[i];
            keys[i] = null;
            onReadyKey(k);
        }
    }

    /** {@return whether any channel is registered} */
    boolean hasRegistrations() {
        return !selector.keys().isEmpty();
    }

    /** Wakes a select in progress, or makes the next one return at once. Any thread. */
    void wakeup() {
        wakeups.increment();
        selector.wakeup();
    }

    /** {@return how many times other threads have woken this selector} */
    public long wakeups() {
        return wakeups.sum();
    }

    private void onReadyKey(SelectionKey k) {
        if (k.isValid() && k.attachment() instanceof IoHandler h) {
            try {
                h.ioReady(k.readyOps());
            } catch (Throwable t) {
                loop.reportCallbackError(t, null, h);
            }
        }
    }

    /**
     * Registers a non-blocking channel; its handler is called on the loop thread when the channel
     * is ready for one of {@code ops}. A channel has one key per selector: registering it again
     * reuses the key (a wait for connect becomes the transport's).
     *
     * @param channel the channel, already non-blocking
     * @param ops the interest set
     * @param handler the handler
     * @return the key
     * @throws ClosedChannelException if the channel is closed
     */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws ClosedChannelException {
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid()) {
            key.attach(handler);
            key.interestOps(ops);
            return key;
        }
        return channel.register(selector, ops, handler);
    }

    /**
     * Returns the key of a channel registered here.
     *
     * @param channel the channel
     * @return its key, or {@code null}
     */
    public SelectionKey keyFor(SelectableChannel channel) {
        return channel.keyFor(selector);
    }

    /** {@return whether a registered channel waits for readiness: I/O may wake the loop} */
    boolean hasInterest() {
        for (SelectionKey k : selector.keys()) {
            if (k.isValid() && k.interestOps() != 0) {
                return true;
            }
        }
        return false;
    }

    /** {@return the shared read buffer, cleared; its bytes are valid until the reader returns} */
    public ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    /**
     * Closes the sockets of transports and servers still open: without their loop nothing would
     * ever read, write or close them (asyncio leaves them to the garbage collector, with a
     * ResourceWarning). Channels of the user's own are left open. Reported in debug mode.
     */
    void closeRegisteredSockets(boolean debug) {
        List<String> closedNow = new ArrayList<>();
        for (SelectionKey k : new ArrayList<>(selector.keys())) {
            if (k.attachment() instanceof IoHandler h) {
                String what = h.loopClosing();
                if (what != null) {
                    closedNow.add(what);
                }
            }
        }
        if (!closedNow.isEmpty()) {
            LOG.log(debug ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                    "the loop closed these, left open: " + closedNow);
        }
    }

    /** {@return what transports and servers of this loop are open, described (for leak checks)} */
    public List<String> openResources() {
        List<String> open = new ArrayList<>();
        for (SelectionKey k : selector.keys()) {
            if (k.isValid() && k.attachment() instanceof IoHandler h) {
                String what = h.openResource();
                if (what != null && !open.contains(what)) {
                    open.add(what);
                }
            }
        }
        return open;
    }

    /** Closes the selector. */
    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the selector failed", e);
        }
    }
}
