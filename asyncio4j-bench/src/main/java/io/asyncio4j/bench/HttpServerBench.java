package io.asyncio4j.bench;

import io.asyncio4j.Asyncio;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.ServerSettings;

/**
 * The {@code http} workload of {@code shared/bench/WORKLOADS.md}: the full server (application,
 * router, request and response objects) answering {@code GET /} with {@code Hello, World!}
 * (text/plain, keep-alive) on 127.0.0.1. Prints {@code ready} once listening and serves until
 * killed. The access log is off, as in the aiohttp peer.
 *
 * <p>Two system properties (through {@code ASYNCIO4J_JAVA_OPTS}) make the scale-out variants:
 * {@code -Dasyncio4j.bench.loops=N} serves on a {@link LoopGroup} of N loops (the kernel spreads
 * the connections with {@code SO_REUSEPORT}); without it one loop serves, as before.
 * {@code -Dasyncio4j.bench.burnMicros=M} makes the handler burn M microseconds of CPU per request
 * (a fixed amount of work, calibrated once at start-up), the handler of the scaling figure.
 */
final class HttpServerBench {
    private HttpServerBench() {
    }

    static void serve(int port) {
        int loops = Integer.getInteger("asyncio4j.bench.loops", 0);
        int burnMicros = Integer.getInteger("asyncio4j.bench.burnMicros", 0);
        long rounds = burnMicros > 0 ? CpuBurn.roundsFor(burnMicros) : 0;
        Application app = new Application();
        app.router().get("/", request -> {
            if (rounds > 0) {
                CpuBurn.burn(rounds);
            }
            return Response.text("Hello, World!");
        });
        ServerSettings settings = ServerSettings.defaults().withAccessLog(false);
        if (loops <= 0) {
            Asyncio.run(() -> serveOn(app, settings, null, port));
            return;
        }
        try (LoopGroup group = LoopGroup.open(loops)) {
            Asyncio.run(() -> serveOn(app, settings, group, port));
        }
    }

    private static Void serveOn(Application app, ServerSettings settings, LoopGroup group, int port)
            throws Exception {
        try (AppRunner runner = new AppRunner(app, settings, group)) {
            runner.setup();
            runner.addTcpSite("127.0.0.1", port);
            System.out.println("ready");
            System.out.flush();
            untilTerminated();
        }
        return null;
    }

    /**
     * Suspends until the process gets SIGTERM or SIGINT. A future nobody completes would do on one
     * loop, whose server's sockets count as something that can wake a task; with the sites on a
     * loop group the main loop has nothing of its own, and the deadlock detector would rightly
     * say that such a wait can never end. The signal handler is what can end it.
     */
    static void untilTerminated() {
        io.asyncio4j.sync.Event stop = new io.asyncio4j.sync.Event();
        io.asyncio4j.EventLoop loop = Asyncio.getRunningLoop();
        loop.addSignalHandler("TERM", stop::set);
        loop.addSignalHandler("INT", stop::set);
        stop.waitUntilSet();
    }
}
