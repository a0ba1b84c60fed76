package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.LoopLocal;
import io.asyncio4j.http.ws.WebSocketResponse;
import io.asyncio4j.http.ws.WsMessage;
import java.time.Duration;

/**
 * A program for the scale-out tests: one instance of an application served on a loop group of
 * two loops until SIGTERM, as it would run behind a balancer. Routes: {@code /} names the
 * instance and the loop, {@code /health} for the balancer's checks, {@code /work?id=&ms=} (any
 * method) sleeps and prints {@code start ID} and {@code end ID} on stdout around it, {@code /hit}
 * counts per loop, {@code /stats} adds the loops' counts up, and the WebSocket {@code /ws} greets
 * with {@code NAME loop I} and then echoes every text message. Prints its lifecycle.
 */
public final class GroupAppMain {
    private GroupAppMain() {
    }

    /**
     * Runs the instance.
     *
     * @param args the port and the instance's name
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String name = args[1];
        try (LoopGroup group = LoopGroup.open(2)) {
            LoopLocal<long[]> hits = LoopLocal.of(group, i -> new long[1]);
            Application app = new Application();
            app.router().get("/", r -> Response.text(name + " loop " + group.indexOf(Asyncio.getRunningLoop())));
            app.router().get("/health", r -> Response.text("ok"));
            app.router().any("/work", r -> {
                String id = r.query("id").orElse("?");
                r.read();
                System.out.println("start " + id);
                Asyncio.sleep(Duration.ofMillis(Long.parseLong(r.query("ms").orElse("0"))));
                System.out.println("end " + id); // before the response goes out: an ended id was answered or is lost after
                return Response.text(name + " " + id);
            });
            app.router().get("/hit", r -> {
                hits.get()[0]++; // this loop's counter: no lock, no atomic
                return Response.text("hit");
            });
            app.router().get("/stats", r -> Response.text(hits.map(h -> h[0]) + " "
                    + hits.mapReduce(h -> h[0], 0L, Long::sum)));
            app.router().get("/ws", r -> {
                WebSocketResponse ws = new WebSocketResponse();
                ws.prepare(r);
                // the greeting tells the client which instance and loop nginx passed it to
                ws.sendText(name + " loop " + group.indexOf(Asyncio.getRunningLoop()));
                for (WsMessage m : ws) {
                    if (m instanceof WsMessage.Text t) {
                        ws.sendText(t.data());
                    }
                }
                return ws;
            });
            app.onStartup(a -> System.out.println("startup"));
            app.onShutdown(a -> System.out.println("shutdown"));
            app.onCleanup(a -> System.out.println("cleanup"));
            Web.runApp(app, RunOptions.tcp("127.0.0.1", port).withLoopGroup(group)
                    .withSettings(ServerSettings.defaults().withAccessLog(false).withShutdownTimeout(
                            Duration.ofSeconds(5))));
            System.out.println("runApp returned");
        }
        System.out.println("group closed");
    }
}
