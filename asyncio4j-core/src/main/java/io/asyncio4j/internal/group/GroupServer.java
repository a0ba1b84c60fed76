package io.asyncio4j.internal.group;

import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.net.ServerImpl;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions.Distribution;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Implementation overview
 *
 * One ServerImpl per loop of the group, each touched only on its loop (through
 * LoopGroupImpl.onLoop); this class holds what other threads read: the listening addresses
 * (fixed at start), `serving`, and the stop's progress.
 *
 * REUSE_PORT: every loop's server has listeners of its own on the same addresses; stopping is
 * each loop closing its listeners. ROUND_ROBIN: loop 0's server listens and hands each accepted
 * channel to the next loop's server in turn (handOff, on loop 0's thread, so the turn is a plain
 * int); the other servers have no listener and adopt what they are handed. Stopping closes loop
 * 0's listeners first, and only then, from loop 0's thread, tells the other loops: each loop's
 * inbox is FIFO per producer, so every channel handed over before the stop is adopted before it,
 * and none is adopted after (an adopting server that stopped closes what it is handed).
 *
 * `stopped` completes once every loop closed its listeners; the group then forgets the server.
 */

/** A server on every loop of a loop group, as one {@link Server}. */
final class GroupServer implements Server {
    private final LoopGroupImpl group;
    private final ServerImpl[] servers;
    private final Distribution distribution;
    private final List<SocketAddress> sockets;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean servingForever = new AtomicBoolean();
    private volatile boolean serving;

    GroupServer(LoopGroupImpl group, ServerImpl[] servers, Distribution distribution) {
        this.group = group;
        this.servers = servers;
        this.distribution = distribution;
        List<SocketAddress> all = new ArrayList<>();
        for (ServerImpl s : servers) {
            all.addAll(s.sockets());
        }
        this.sockets = List.copyOf(all);
    }

    /**
     * Makes loop 0's server hand what it accepts to the loops in turn. Loop 0's thread, before
     * it serves.
     */
    void distributeRoundRobin() {
        EventLoopImpl[] loops = group.loopArray();
        int[] turn = {0};
        servers[0].handAcceptedTo((SocketChannel ch) -> {
            int i = turn[0];
            turn[0] = i + 1 == loops.length ? 0 : i + 1;
            ServerImpl target = servers[i];
            if (i == 0) {
                target.adopt(ch);
                return;
            }
            try {
                loops[i].enqueueThreadsafe(() -> target.adopt(ch));
            } catch (IllegalStateException loopClosed) {
                closeQuietly(ch);
            }
        });
    }

    /** {@return the server of one loop} @param index the loop */
    ServerImpl serverOn(int index) {
        return servers[index];
    }

    @Override
    public List<SocketAddress> sockets() {
        return sockets;
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public void startServing() {
        if (stopRequested.get()) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        if (serving) {
            return;
        }
        serving = true;
        for (int i = 0; i < servers.length; i++) {
            ServerImpl s = servers[i];
            group.onLoop(i, () -> {
                if (!stopRequested.get()) {
                    s.startServing();
                }
            });
        }
    }

    @Override
    public EventLoop getLoop() {
        return group.loop(0);
    }

    /**
     * Starts stopping every loop's listeners, once. Any thread; never waits.
     *
     * @return what completes once every loop closed its listeners
     */
    CompletableFuture<Void> startStop() {
        if (!stopRequested.compareAndSet(false, true)) {
            return stopped;
        }
        serving = false;
        AtomicInteger left = new AtomicInteger(servers.length);
        Runnable oneStopped = () -> {
            if (left.decrementAndGet() == 0) {
                group.removeServer(this);
                stopped.complete(null);
            }
        };
        if (distribution == Distribution.ROUND_ROBIN) {
            EventLoopImpl[] loops = group.loopArray();
            boolean scheduled = group.onLoop(0, () -> {
                servers[0].stopListening();
                oneStopped.run();
                for (int i = 1; i < servers.length; i++) {
                    ServerImpl s = servers[i];
                    try {
                        loops[i].enqueueThreadsafe(() -> {
                            s.stopListening();
                            oneStopped.run();
                        });
                    } catch (IllegalStateException loopClosed) {
                        oneStopped.run(); // its sockets closed with it
                    }
                }
            });
            if (!scheduled) {
                for (int i = 0; i < servers.length; i++) {
                    oneStopped.run();
                }
            }
        } else {
            for (int i = 0; i < servers.length; i++) {
                ServerImpl s = servers[i];
                if (!group.onLoop(i, () -> {
                    s.stopListening();
                    oneStopped.run();
                })) {
                    oneStopped.run();
                }
            }
        }
        return stopped;
    }

    @Override
    public void stopListening() {
        CompletableFuture<Void> f = startStop();
        if (Waiting.canWait()) {
            Waiting.awaitShielded(f, "Server.stopListening");
        }
        // in a callback on a loop's thread: the other loops stop on their own, shortly
    }

    @Override
    public void waitClosed() {
        List<CompletableFuture<Void>> waits = waitClosedTasks();
        try {
            Waiting.await(CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)), "Server.waitClosed");
        } finally {
            for (CompletableFuture<Void> w : waits) {
                w.cancel(false); // cancelled or interrupted: the per-loop waits go too
            }
        }
    }

    /** {@return a task per loop that waits until that loop's server is closed} */
    List<CompletableFuture<Void>> waitClosedTasks() {
        Waiting.checkCanWait("Server.waitClosed");
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            ServerImpl s = servers[i];
            try {
                waits.add(group.submit(i, () -> s.waitClosed()));
            } catch (IllegalStateException groupClosed) {
                // closed with its loops
            }
        }
        return waits;
    }

    @Override
    public void closeClients() {
        for (int i = 0; i < servers.length; i++) {
            group.onLoop(i, servers[i]::closeClients);
        }
    }

    @Override
    public void abortClients() {
        for (int i = 0; i < servers.length; i++) {
            group.onLoop(i, servers[i]::abortClients);
        }
    }

    @Override
    public void serveForever() {
        if (stopRequested.get()) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        if (!servingForever.compareAndSet(false, true)) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        try {
            startServing();
            Waiting.await(stopped, "Server.serveForever");
        } catch (CancelledError | IllegalStateException cancelledOrInterrupted) {
            stopListening();
            throw cancelledOrInterrupted;
        } finally {
            servingForever.set(false);
        }
    }

    @Override
    public void close() {
        stopListening();
        waitClosed();
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (java.io.IOException ignored) {
            // closing: nothing more to do
        }
    }

    @Override
    public String toString() {
        String state = serving ? " serving" : stopRequested.get() ? " closed" : " not serving yet";
        return "<Server on " + group + " " + distribution + " " + sockets + state + ">";
    }
}
