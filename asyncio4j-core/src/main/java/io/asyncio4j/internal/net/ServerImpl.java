package io.asyncio4j.internal.net;

import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.IoHandler;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.ops.Await;
import io.asyncio4j.internal.task.ParkingLot;

/*
 * Implementation overview
 *
 * One listening channel per bound address, each registered for OP_ACCEPT with an Acceptor. An
 * accepted channel becomes a TcpTransport with a fresh protocol from the factory; the server keeps
 * the transports until they are lost (closeClients/abortClients, waitClosed). waitClosed parks
 * until the server stopped listening and the last client is gone (asyncio 3.12.1 semantics).
 * serveForever parks on `servingForever` until cancelled (then it stops listening) or until
 * stopListening completes that future (then it returns). Loop thread only.
 *
 * On a loop group (internal.group) each loop has one: with SO_REUSEPORT each listens itself; with
 * round-robin one acceptor hands its channels (handAcceptedTo) to the servers of the other loops,
 * which have no listener of their own and adopt() them.
 */

/** The one implementation of {@link Server}. */
public final class ServerImpl implements Server {
    private static final java.time.Duration ACCEPT_RETRY_DELAY = java.time.Duration.ofSeconds(1);

    private final EventLoopImpl loop;
    private final Supplier<? extends Protocol> factory;
    private final List<ServerSocketChannel> listeners;
    private final List<SelectionKey> keys = new ArrayList<>();
    private final List<SocketAddress> addresses = new ArrayList<>();
    private final LinkedHashSet<TcpTransport> clients = new LinkedHashSet<>();
    private final ParkingLot closeWaiters = new ParkingLot();
    private final boolean cleanupUnixSockets;
    /** The listening sockets are open (stopListening() not called yet). */
    private boolean listening;
    /** Connections are being accepted: listening, and started (ServerOptions.startServing). */
    private boolean serving;
    /** What serveForever() waits on; stopListening() completes it. Null when nobody serves forever. */
    private FutureImpl<Void> servingForever;
    /** Where accepted channels go instead of here (a loop group's round-robin), or null. */
    private Consumer<SocketChannel> handOff;

    private ServerImpl(EventLoopImpl loop, List<ServerSocketChannel> listeners, Supplier<? extends Protocol> factory,
                       boolean cleanupUnixSockets) {
        this.loop = loop;
        this.listeners = listeners;
        this.factory = factory;
        this.cleanupUnixSockets = cleanupUnixSockets;
    }

    /**
     * Makes a server of bound listening channels.
     *
     * @param loop the loop
     * @param listeners the bound channels
     * @param factory makes one protocol per connection
     * @param cleanupUnixSockets whether to delete Unix socket files when the server stops
     * @param startServing whether to accept at once, or only from startServing() on
     * @return the server
     * @throws IOException if a channel cannot be registered
     */
    public static ServerImpl start(EventLoopImpl loop, List<ServerSocketChannel> listeners,
                                   Supplier<? extends Protocol> factory, boolean cleanupUnixSockets,
                                   boolean startServing) throws IOException {
        ServerImpl s = new ServerImpl(loop, listeners, factory, cleanupUnixSockets);
        for (ServerSocketChannel ch : listeners) {
            ch.configureBlocking(false);
            s.addresses.add(ch.getLocalAddress());
            Acceptor a = s.new Acceptor(ch);
            a.key = loop.io().register(ch, 0, a);
            s.keys.add(a.key);
        }
        s.listening = true;
        if (startServing) {
            s.startServing();
        }
        return s;
    }

    /** Accepts the connections waiting on one listening channel. */
    private final class Acceptor implements IoHandler {
        private final ServerSocketChannel channel;
        private SelectionKey key;

        Acceptor(ServerSocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public String loopClosing() {
            return closeWithLoop();
        }

        @Override
        public String openResource() {
            return channel.isOpen() ? ServerImpl.this.toString() : null;
        }

        @Override
        public void ioReady(int readyOps) {
            for (int i = 0; i < 128 && listening; i++) {
                SocketChannel ch;
                try {
                    ch = channel.accept();
                } catch (IOException e) {
                    // EMFILE and the like: report, and as asyncio stop accepting for a second rather than
                    // spin on a listener that stays ready
                    loop.callExceptionHandler(io.asyncio4j.ExceptionContext.of("socket.accept() out of system resource",
                            e));
                    SelectionKey k = key;
                    if (k.isValid()) {
                        k.interestOps(0);
                        loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                            if (serving && k.isValid()) {
                                k.interestOps(SelectionKey.OP_ACCEPT);
                            }
                        });
                    }
                    return;
                }
                if (ch == null) {
                    return;
                }
                if (handOff != null) {
                    handOff.accept(ch);
                } else {
                    adopt(ch);
                }
            }
        }
    }

    /**
     * Sends the connections this server accepts elsewhere (a loop group's acceptor hands them to
     * the group's loops in turn) instead of serving them here. Set before it serves. Loop thread.
     *
     * @param sink takes each accepted channel (still blocking, not registered anywhere)
     */
    public void handAcceptedTo(Consumer<SocketChannel> sink) {
        handOff = sink;
    }

    /**
     * Serves a connection accepted elsewhere as one of this server's own: a fresh protocol, a
     * transport on this loop, counted by waitClosed and closeClients. A server that stopped
     * listening closes it instead (nobody would wait for it). Loop thread.
     *
     * @param ch the accepted channel
     */
    public void adopt(SocketChannel ch) {
        if (!listening) {
            closeQuietly(ch);
            return;
        }
        Protocol protocol;
        try {
            protocol = factory.get();
        } catch (Throwable e) {
            closeQuietly(ch);
            loop.callExceptionHandler(io.asyncio4j.ExceptionContext.of("the server's protocol factory failed", e));
            return;
        }
        try {
            clients.add(TcpTransport.start(loop, ch, protocol, ServerImpl.this::clientLost));
        } catch (IOException e) {
            closeQuietly(ch);
        }
    }

    private void clientLost(TcpTransport t) {
        clients.remove(t);
        maybeWakeCloseWaiters();
    }

    private void maybeWakeCloseWaiters() {
        if (!listening && clients.isEmpty()) {
            closeWaiters.wakeAll();
        }
    }

    @Override
    public List<SocketAddress> sockets() {
        return List.copyOf(addresses);
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public void startServing() {
        if (!listening) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        if (serving) {
            return;
        }
        serving = true;
        for (SelectionKey k : keys) {
            k.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    @Override
    public io.asyncio4j.EventLoop getLoop() {
        return loop;
    }

    @Override
    public void stopListening() {
        if (!listening) {
            return;
        }
        listening = false;
        serving = false;
        for (SelectionKey k : keys) {
            k.cancel();
        }
        closeListeners();
        releaseClosedListeners();
        FutureImpl<Void> f = servingForever;
        if (f != null && !f.isDone()) {
            f.setResult(null); // closed from elsewhere: serveForever returns
        }
        maybeWakeCloseWaiters();
    }

    private void closeListeners() {
        for (int i = 0; i < listeners.size(); i++) {
            closeQuietly(listeners.get(i));
            if (cleanupUnixSockets && addresses.get(i) instanceof UnixDomainSocketAddress u) {
                try {
                    Files.deleteIfExists(u.getPath());
                } catch (IOException ignored) {
                    // the file went already
                }
            }
        }
    }

    /**
     * A channel closed while registered keeps its socket until the selector deregisters its key, at
     * the next select: run one now, so that new connections are refused as soon as stopListening
     * returns, as after asyncio's close(). Inside the selector's dispatch (a protocol callback
     * closing the server) a nested select is refused: the loop's next select then releases them.
     */
    private void releaseClosedListeners() {
        if (keys.isEmpty()) {
            return;
        }
        java.nio.channels.Selector selector = keys.get(0).selector();
        try {
            selector.selectNow();
            // the loop dispatches through select(Consumer) and never reads the selected-key set;
            // readiness is level-triggered, so whatever was ready is reported again next time
            selector.selectedKeys().clear();
        } catch (IllegalStateException | IOException inDispatchOrClosed) {
            // the loop's next select releases them
        }
    }

    /** The loop closes with the server still listening: close the sockets, without callbacks. */
    private String closeWithLoop() {
        if (!listening) {
            return null;
        }
        String what = toString();
        listening = false;
        serving = false;
        closeListeners();
        return what;
    }

    @Override
    public void waitClosed() {
        while (listening || !clients.isEmpty()) {
            closeWaiters.park(TaskImpl.currentOrThrow("Server.waitClosed()"));
        }
    }

    @Override
    public void closeClients() {
        for (TcpTransport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    @Override
    public void abortClients() {
        for (TcpTransport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    @Override
    public void serveForever() {
        if (!listening) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        startServing();
        FutureImpl<Void> f = new FutureImpl<>(loop);
        servingForever = f;
        try {
            Await.await(f);
        } finally {
            servingForever = null;
            stopListening();
        }
    }

    @Override
    public void close() {
        stopListening();
        waitClosed();
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }

    @Override
    public String toString() {
        String state = serving ? " serving" : listening ? " not serving yet" : " closed";
        return "<Server " + addresses + state + " clients=" + clients.size() + ">";
    }
}
