package io.asyncio4j.bench;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.http.ws.WebSocketResponse;
import io.asyncio4j.http.ws.WsMessage;

/**
 * The {@code ws} workload of {@code shared/bench/WORKLOADS.md}: a WebSocket echo server on the
 * path {@code /} of 127.0.0.1 (the full server: application, router, {@code WebSocketResponse}
 * with its defaults), sending every binary or text message back. Prints {@code ready} once
 * listening and serves until killed; the access log is off, as in the aiohttp peer.
 */
final class WsServerBench {
    private WsServerBench() {
    }

    static void serve(int port) {
        Application app = new Application();
        app.router().get("/", request -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(request);
            for (WsMessage m : ws) {
                switch (m) {
                    case WsMessage.Binary b -> ws.sendBinary(b.data());
                    case WsMessage.Text t -> ws.sendText(t.data());
                    default -> {
                    }
                }
            }
            return ws;
        });
        Asyncio.run(() -> {
            try (AppRunner runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false))) {
                runner.setup();
                runner.addTcpSite("127.0.0.1", port);
                System.out.println("ready");
                System.out.flush();
                HttpServerBench.untilTerminated();
            }
        });
    }
}
