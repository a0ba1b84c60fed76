package io.asyncio4j.internal.group;

import io.asyncio4j.CancelledError;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.net.Endpoints;
import io.asyncio4j.internal.net.ServerImpl;
import io.asyncio4j.internal.tls.TlsSupport;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.ServerOptions.Distribution;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Starts servers on every loop of a group ({@code ServerOptions.withLoopGroup}): the group's
 * first loop listens first (so that a port 0 is chosen once), then the other loops, at once;
 * if one fails, the others stop and the failure is thrown.
 */
public final class GroupServers {
    private GroupServers() {
    }

    /** Listens on the group's first loop. */
    @FunctionalInterface
    private interface First {
        ServerImpl listen(EventLoopImpl loop) throws IOException;
    }

    /** Listens (or not: it adopts) on another loop, knowing the first loop's server. */
    @FunctionalInterface
    private interface Other {
        ServerImpl listen(EventLoopImpl loop, ServerImpl first) throws IOException;
    }

    /**
     * Starts a TCP server on every loop of the options' group.
     *
     * @param factory makes one protocol per connection; called on every loop
     * @param host the host, or {@code null} for every interface
     * @param port the port, 0 for one the system chooses (the same for every loop)
     * @param options the options, with the group
     * @return the server
     * @throws IOException if a loop cannot listen
     */
    public static Server startTcp(Supplier<? extends Protocol> factory, String host, int port, ServerOptions options)
            throws IOException {
        LoopGroupImpl group = LoopGroupImpl.of(options.loopGroup());
        Distribution how = switch (options.distribution()) {
            case AUTO -> Distribution.reusePortSpreads() ? Distribution.REUSE_PORT : Distribution.ROUND_ROBIN;
            case REUSE_PORT -> {
                if (!Distribution.reusePortSpreads()) {
                    throw new IllegalArgumentException("REUSE_PORT spreads connections over a group's loops only on "
                            + "Linux; use ROUND_ROBIN or AUTO here");
                }
                yield Distribution.REUSE_PORT;
            }
            case ROUND_ROBIN -> Distribution.ROUND_ROBIN;
        };
        ServerOptions each = options.withLoopGroup(null).withStartServing(false)
                .withReusePort(how == Distribution.REUSE_PORT || options.reusePort());
        Supplier<? extends Protocol> f = TlsSupport.serverFactory(factory, each);
        First first = loop -> Endpoints.listen(loop, Endpoints.listenAddresses(host, port), f, each);
        Other other = how == Distribution.REUSE_PORT
                ? (loop, s0) -> Endpoints.listen(loop, s0.sockets(), f, each)
                : (loop, s0) -> ServerImpl.start(loop, List.of(), f, false, false);
        return start(group, how, options.startServing(), first, other);
    }

    /**
     * Starts a Unix domain socket server on every loop of the options' group: the first loop
     * listens and hands the connections round-robin.
     *
     * @param factory makes one protocol per connection; called on every loop
     * @param path the socket's path
     * @param options the options, with the group
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server startUnix(Supplier<? extends Protocol> factory, Path path, ServerOptions options)
            throws IOException {
        LoopGroupImpl group = LoopGroupImpl.of(options.loopGroup());
        if (options.distribution() == Distribution.REUSE_PORT) {
            throw new IllegalArgumentException("SO_REUSEPORT does not spread Unix domain socket connections: a Unix "
                    + "server on a loop group takes ROUND_ROBIN (or AUTO)");
        }
        ServerOptions each = options.withLoopGroup(null).withStartServing(false);
        Supplier<? extends Protocol> f = TlsSupport.serverFactory(factory, each);
        return start(group, Distribution.ROUND_ROBIN, options.startServing(),
                loop -> Endpoints.listenUnix(loop, path, f, each),
                (loop, s0) -> ServerImpl.start(loop, List.of(), f, false, false));
    }

    private static Server start(LoopGroupImpl group, Distribution how, boolean startServing, First first,
                                Other other) throws IOException {
        Waiting.checkCanWait("starting a server on a loop group");
        CompletableFuture<GroupServer> started = group.submit(0, () -> startOnEveryLoop(group, how, startServing,
                first, other));
        try {
            return Waiting.await(started, "starting a server on a loop group");
        } catch (CancelledError | IllegalStateException cancelledOrInterrupted) {
            started.whenComplete((s, e) -> {
                if (s != null) {
                    s.startStop(); // nobody got it: it must not listen
                }
            });
            throw cancelledOrInterrupted;
        }
    }

    /** Runs as a task of the group's first loop. */
    private static GroupServer startOnEveryLoop(LoopGroupImpl group, Distribution how, boolean startServing,
                                                First first, Other other) throws IOException {
        int n = group.size();
        ServerImpl[] servers = new ServerImpl[n];
        ServerImpl s0 = first.listen(EventLoopImpl.running());
        servers[0] = s0;
        boolean ok = false;
        try {
            List<CompletableFuture<ServerImpl>> others = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                others.add(group.submit(i, () -> other.listen(EventLoopImpl.running(), s0)));
            }
            // a bind is quick: wait for all, shielded, so that none is left listening unseen
            Waiting.awaitShielded(CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)),
                    "starting a server on a loop group");
            Throwable failure = null;
            for (int i = 1; i < n; i++) {
                CompletableFuture<ServerImpl> f = others.get(i - 1);
                if (f.isCancelled()) {
                    failure = failure != null ? failure : new CancelledError("a loop's listener was cancelled");
                } else if (f.isCompletedExceptionally()) {
                    failure = failure != null ? failure : f.exceptionNow();
                } else {
                    servers[i] = f.resultNow();
                }
            }
            if (failure != null) {
                throw Sneaky.rethrow(failure);
            }
            GroupServer g = new GroupServer(group, servers, how);
            if (how == Distribution.ROUND_ROBIN) {
                g.distributeRoundRobin();
            }
            group.addServer(g);
            ok = true;
            if (startServing) {
                g.startServing();
            }
            return g;
        } finally {
            if (!ok) {
                for (int i = 0; i < n; i++) {
                    ServerImpl s = servers[i];
                    if (s != null) {
                        group.onLoop(i, s::stopListening);
                    }
                }
            }
        }
    }
}
