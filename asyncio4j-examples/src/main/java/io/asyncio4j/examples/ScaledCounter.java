package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.LoopLocal;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.RunOptions;
import io.asyncio4j.http.server.Web;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-loop state done right: an HTTP server on a {@link LoopGroup} (a loop per core) that counts
 * hits per name in a plain {@code HashMap} per loop (a {@link LoopLocal}: each loop touches only
 * its own, so no lock and no concurrent map) and adds the loops' maps up only when asked.
 *
 * {@snippet lang = "shell" :
 * ./asyncio4j example scaled 8080 &
 * curl localhost:8080/hit/alice; curl localhost:8080/hit/bob; curl localhost:8080/hit/alice
 * curl localhost:8080/stats      # {"loops":[...],"totals":{"alice":2,"bob":1}}
 * }
 */
public final class ScaledCounter {
    private ScaledCounter() {
    }

    /**
     * Builds the application: {@code GET /hit/{name}} counts on the serving loop,
     * {@code GET /stats} answers each loop's request count and the totals per name.
     *
     * @param group the group whose loops serve it
     * @return the application
     */
    public static Application app(LoopGroup group) {
        LoopLocal<Map<String, Long>> hits = LoopLocal.of(group, i -> new HashMap<>());
        Application app = new Application();
        app.router().get("/hit/{name}", r -> {
            long n = hits.get().merge(r.matchInfo("name"), 1L, Long::sum); // this loop's map only
            return Response.text("loop " + group.indexOf(Asyncio.getRunningLoop()) + ": " + n + "\n");
        });
        app.router().get("/stats", r -> {
            // each loop copies its own map on its own thread; the copies are merged here
            List<Map<String, Long>> perLoop = hits.map(HashMap::new);
            Map<String, Long> totals = new TreeMap<>();
            List<Long> loops = perLoop.stream().map(m -> m.values().stream().mapToLong(Long::longValue).sum())
                    .toList();
            for (Map<String, Long> m : perLoop) {
                m.forEach((k, v) -> totals.merge(k, v, Long::sum));
            }
            return Response.json(Map.of("loops", loops, "totals", totals));
        });
        return app;
    }

    /**
     * Serves on 127.0.0.1 with a loop per processor until Ctrl-C or SIGTERM (then every loop
     * shuts down gracefully).
     *
     * @param args the port (default 8080)
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        try (LoopGroup group = LoopGroup.open()) {
            Web.runApp(app(group), RunOptions.tcp("127.0.0.1", port).withLoopGroup(group));
        }
    }
}
