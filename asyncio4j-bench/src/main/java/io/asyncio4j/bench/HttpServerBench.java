package io.asyncio4j.bench;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.ServerSettings;

/**
 * The {@code http} workload of {@code shared/bench/WORKLOADS.md}: the full server (application,
 * router, request and response objects) answering {@code GET /} with {@code Hello, World!}
 * (text/plain, keep-alive) on 127.0.0.1. Prints {@code ready} once listening and serves until
 * killed. The access log is off, as in the aiohttp peer.
 */
final class HttpServerBench {
    private HttpServerBench() {
    }

    static void serve(int port) {
        Application app = new Application();
        app.router().get("/", request -> Response.text("Hello, World!"));
        Asyncio.run(() -> {
            try (AppRunner runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false))) {
                runner.setup();
                runner.addTcpSite("127.0.0.1", port);
                System.out.println("ready");
                System.out.flush();
                Asyncio.await(Asyncio.createFuture()); // until killed
            }
        });
    }
}
