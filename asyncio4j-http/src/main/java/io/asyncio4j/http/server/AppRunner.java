package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
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
import javax.net.ssl.SSLContext;

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
 */
public final class AppRunner implements AutoCloseable {
    private final Application app;
    private final ServerSettings settings;
    private ServerCore core;
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
        this.app = Objects.requireNonNull(app, "app");
        this.settings = Objects.requireNonNull(settings, "settings");
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
        core = new ServerCore(Asyncio.getRunningLoop(), settings, app.clientMaxSize(), new Dispatch(app, settings));
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
        return ServerOptions.defaults().withBacklog(settings.backlog());
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
        Server s = Transports.createServer(core().protocolFactory(false), host, port, options());
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
        Server s = Transports.createServer(core().protocolFactory(true), host, port,
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
        Server s = Transports.createUnixServer(core().protocolFactory(false), path, options());
        Site site = new Site(s, false);
        sites.add(site);
        return site;
    }

    /** {@return the sites} */
    public List<Site> sites() {
        return Collections.unmodifiableList(sites);
    }

    /** {@return how many connections are open} */
    public int connectionCount() {
        return core == null ? 0 : core.connectionCount();
    }

    /** {@return how many requests are being handled} */
    public int requestsInFlight() {
        return core == null ? 0 : core.inFlight();
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
        Asyncio.sleep(java.time.Duration.ZERO); // connections accepted just before start their requests
        core.closeIdleConnections();
        Exception failure = null;
        try {
            app.shutdown();
        } catch (Exception e) {
            failure = e;
        }
        try {
            Asyncio.waitFor(() -> {
                core.waitIdle();
                return null;
            }, settings.shutdownTimeout());
        } catch (TimeoutError e) {
            // the grace period is over: what still runs is cancelled below
        }
        core.cancelAll();
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
