package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.LoopLocal;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.http.internal.server.ServerCore;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import io.asyncio4j.transport.BufferedProtocol;

/*
 * Implementation overview
 *
 * aiohttp's AppRunner: setup() runs the application's start-up and makes the ServerCore that
 * every site's connections share; each site is a core Server over a protocol factory of that
 * core. cleanup() is aiohttp's graceful shutdown, in its order: stop listening (every site), let
 * the loop run once (connections accepted just before start their first request), close idle
 * keep-alive connections (busy ones close after their response), run the shutdown hooks, wait
 * for the requests in flight up to the shutdown timeout, cancel what still runs and close every
 * connection, then run the cleanup hooks. Loop thread only; call from a task.
 *
 * On a loop group the application (frozen, so read-only) is shared by every loop, and each loop
 * has a ServerCore of its own (a LoopLocal, made on that loop by its first connection): the
 * connections of a loop, its requests in flight and its idle event are that loop's alone. The
 * sites are group servers. cleanup() runs aiohttp's steps on every loop at once (a task per loop,
 * awaited together), with one deadline for the requests in flight; the hooks run once, on the
 * loop that runs the runner.
 */

/**
 * Runs an application on listeners: aiohttp's {@code web.AppRunner} with its sites.
 *
 * {@snippet :
 * try (AppRunner runner = new AppRunner(app)) {
 *     runner.setup();
 *     Site site = runner.addTcpSite("127.0.0.1", 8080);
 *     ...                                     // serve until told to stop
 * }                                           // close(): graceful shutdown, then cleanup hooks
 * }
 *
 * <p>{@link Web#runApp} does all of this and waits for SIGINT or SIGTERM.
 *
 * <p><b>On a loop group.</b> A runner made with a {@link LoopGroup} serves its sites on every
 * loop of the group ({@link io.asyncio4j.transport.ServerOptions#withLoopGroup}): the kernel (or
 * the group's first loop) spreads the connections, each connection and its handlers stay on one
 * loop, and {@link #cleanup()} shuts every loop's connections down in aiohttp's order. The runner
 * itself (setup, the hooks, cleanup) runs on the loop of the task that calls it, which need not
 * be one of the group's. Handlers of different loops run at the same time on different threads:
 * the application's state they share must be safe for that (or kept per loop, with
 * {@link LoopLocal}), and a resource bound to a loop (a client, a pool) made by a start-up hook
 * must not be used by handlers of other loops.
 */
public final class AppRunner implements AutoCloseable {
    private final Application app;
    private final ServerSettings settings;
    private final LoopGroup group;
    private ServerCore core;
    /** On a loop group: each loop's core, made there by its first connection. */
    private LoopLocal<ServerCore> cores;
    private final List<Site> sites = new ArrayList<>();
    private boolean cleanedUp;

    /**
     * Makes a runner with the default settings.
     *
     * @param app the application
     */
    public AppRunner(Application app) {
        this(app, ServerSettings.defaults());
    }

    /**
     * Makes a runner.
     *
     * @param app the application
     * @param settings the connection settings
     */
    public AppRunner(Application app, ServerSettings settings) {
        this(app, settings, null);
    }

    /**
     * Makes a runner whose sites serve on every loop of a group (see the class description).
     *
     * @param app the application
     * @param settings the connection settings (each loop's; {@code maxConnections} is per loop)
     * @param group the loop group, or {@code null} for the running loop alone
     */
    public AppRunner(Application app, ServerSettings settings, LoopGroup group) {
        this.app = Objects.requireNonNull(app, "app");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.group = group;
    }

    /** {@return the loop group the sites serve on, or {@code null} for the runner's loop alone} */
    public LoopGroup loopGroup() {
        return group;
    }

    /** {@return the application} */
    public Application app() {
        return app;
    }

    /** {@return the settings} */
    public ServerSettings settings() {
        return settings;
    }

    /**
     * Starts the application: freezes it and runs its start-up (cleanup contexts, start-up
     * hooks, sub-applications). Suspends as the hooks do.
     *
     * @throws Exception what a start-up hook threw (the contexts entered are left again first)
     * @throws IllegalStateException if set up already
     */
    public void setup() throws Exception {
        if (core != null) {
            throw new IllegalStateException("the runner is set up already");
        }
        try {
            app.startup();
        } catch (Exception e) {
            try {
                app.cleanup();
            } catch (Exception more) {
                e.addSuppressed(more);
            }
            throw e;
        }
        Dispatch dispatch = new Dispatch(app, settings);
        core = new ServerCore(Asyncio.getRunningLoop(), settings, app.clientMaxSize(), dispatch);
        if (group != null) {
            cores = LoopLocal.of(group, i -> new ServerCore(group.loop(i), settings, app.clientMaxSize(), dispatch));
        }
    }

    private ServerCore core() {
        if (core == null) {
            throw new IllegalStateException("call setup() first");
        }
        if (cleanedUp) {
            throw new IllegalStateException("the runner was cleaned up");
        }
        return core;
    }

    private ServerOptions options() {
        return ServerOptions.defaults().withBacklog(settings.backlog()).withLoopGroup(group);
    }

    /** The connections' factory: the runner's core, or on a group the accepting loop's. */
    private Supplier<BufferedProtocol> protocols(boolean tls) {
        ServerCore c = core();
        if (cores == null) {
            return c.protocolFactory(tls);
        }
        LoopLocal<ServerCore> perLoop = cores;
        return () -> perLoop.get().protocolFactory(tls).get();
    }

    /**
     * Listens on TCP (aiohttp's {@code TCPSite}). Suspends while the host name resolves.
     *
     * @param host the address to listen on, {@code null} for every interface
     * @param port the port, 0 for any free one
     * @return the site
     * @throws IOException if it cannot listen
     */
    public Site addTcpSite(String host, int port) throws IOException {
        Server s = Transports.createServer(protocols(false), host, port, options());
        Site site = new Site(s, false);
        sites.add(site);
        return site;
    }

    /**
     * Listens on TCP with TLS, offering ALPN {@code http/1.1}.
     *
     * @param host the address
     * @param port the port
     * @param ssl the server's TLS context (key and certificate)
     * @return the site
     * @throws IOException if it cannot listen
     */
    public Site addTlsSite(String host, int port, SSLContext ssl) throws IOException {
        Server s = Transports.createServer(protocols(true), host, port,
                options().withSsl(ssl).withAlpnProtocols(List.of("http/1.1")));
        Site site = new Site(s, true);
        sites.add(site);
        return site;
    }

    /**
     * Listens on a Unix domain socket (aiohttp's {@code UnixSite}).
     *
     * @param path the socket's path
     * @return the site
     * @throws IOException if it cannot listen
     */
    public Site addUnixSite(Path path) throws IOException {
        Server s = Transports.createUnixServer(protocols(false), path, options());
        Site site = new Site(s, false);
        sites.add(site);
        return site;
    }

    /** {@return the sites} */
    public List<Site> sites() {
        return Collections.unmodifiableList(sites);
    }

    /**
     * {@return how many connections are open} Never suspends; on a loop group it asks every loop
     * and suspends until they answered.
     */
    public int connectionCount() {
        if (core == null) {
            return 0;
        }
        return cores == null ? core.connectionCount() : cores.mapReduce(ServerCore::connectionCount, 0, Integer::sum);
    }

    /**
     * {@return how many requests are being handled} Never suspends; on a loop group it asks every
     * loop and suspends until they answered.
     */
    public int requestsInFlight() {
        if (core == null) {
            return 0;
        }
        return cores == null ? core.inFlight() : cores.mapReduce(ServerCore::inFlight, 0, Integer::sum);
    }

    /**
     * Shuts down gracefully, in aiohttp's order: stops listening, closes idle keep-alive
     * connections, runs the shutdown hooks, waits up to the shutdown timeout for requests in
     * flight, cancels the rest and closes every connection, runs the cleanup hooks. Idempotent.
     * Suspends; the waits check for cancellation.
     *
     * @throws CleanupError if a shutdown or cleanup hook failed (all of them run)
     */
    public void cleanup() {
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        if (core == null) {
            return;
        }
        for (Site s : sites) {
            s.stop();
        }
        onEveryLoop(c -> {
            Asyncio.sleep(java.time.Duration.ZERO); // connections accepted just before start their requests
            c.closeIdleConnections();
        });
        Exception failure = null;
        try {
            app.shutdown();
        } catch (Exception e) {
            failure = e;
        }
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        onEveryLoop(c -> {
            try {
                Asyncio.waitFor(() -> {
                    c.waitIdle();
                    return null;
                }, java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (TimeoutError e) {
                // the grace period is over: what still runs is cancelled
            }
            c.cancelAll();
        });
        for (Site s : sites) {
            // the aborted connections report their loss in a loop turn or two
            Asyncio.moveOnAfter(java.time.Duration.ofSeconds(5), c -> s.server().waitClosed());
        }
        try {
            app.cleanup();
        } catch (Exception e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure instanceof CleanupError ce ? ce : new CleanupError(failure);
        }
    }

    /** One step of the shutdown, on a loop with its core. */
    @FunctionalInterface
    private interface Step {
        void run(ServerCore c);
    }

    /**
     * Runs a step of the shutdown with the runner's core, or on a group on every loop at once (a
     * task per loop, each with that loop's core) until all are done. Suspends; checks for
     * cancellation (cancelled, it cancels the loops' steps and waits for them).
     */
    private void onEveryLoop(Step step) {
        if (cores == null) {
            step.run(core);
            return;
        }
        LoopLocal<ServerCore> perLoop = cores;
        List<CompletableFuture<Void>> steps = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            ThrowingRunnable onLoop = () -> step.run(perLoop.get());
            steps.add(group.submit(i, onLoop));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
        try {
            Asyncio.await(all);
        } catch (CancelledError e) {
            for (CompletableFuture<Void> f : steps) {
                f.cancel(false);
            }
            throw e;
        }
    }

    /**
     * Same as {@link #cleanup()}, for try-with-resources. Suspends.
     *
     * @throws CleanupError as cleanup()
     */
    @Override
    public void close() {
        cleanup();
    }
}
