package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.sync.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The front door of the server: aiohttp's {@code web} module's {@code run_app}. The nouns are
 * {@link Application}, {@link Router}, {@link Request}, {@link Response}, {@link StreamResponse},
 * {@link FileResponse}, {@link EventSourceResponse}, {@link HttpException} and {@link AppRunner}.
 *
 * {@snippet :
 * public static void main(String[] args) {
 *     Application app = new Application();
 *     app.router().get("/", req -> Response.text("Hello, World!"));
 *     Web.runApp(app, "127.0.0.1", 8080);      // until Ctrl-C or SIGTERM
 * }
 * }
 */
public final class Web {
    private Web() {
    }

    /**
     * Serves an application on a TCP address until SIGINT or SIGTERM, then shuts down gracefully
     * (see {@link AppRunner#cleanup()}): aiohttp's {@code web.run_app(app, host=, port=)}. Runs
     * its own event loop ({@link Asyncio#run}); call it from {@code main}, not from a task.
     *
     * @param app the application
     * @param host the host
     * @param port the port
     * @throws Exception what the application's start-up or cleanup threw, or a listen failure
     */
    public static void runApp(Application app, String host, int port) throws Exception {
        runApp(app, RunOptions.tcp(host, port));
    }

    /**
     * Serves an application until SIGINT or SIGTERM, then shuts down gracefully.
     *
     * @param app the application
     * @param options where and how
     * @throws Exception what the application's start-up or cleanup threw, or a listen failure
     */
    public static void runApp(Application app, RunOptions options) throws Exception {
        Asyncio.run(() -> {
            serve(app, options, null);
            return null;
        });
    }

    /**
     * Serves an application in the running loop until {@code stop} is set or the process gets
     * SIGINT or SIGTERM, then shuts down gracefully: what {@link #runApp} runs, for a program
     * that has a loop already. Suspends until the server has stopped; cancelling it shuts the
     * server down as a signal would.
     *
     * @param app the application
     * @param options where and how
     * @param stop an event that stops the server when set, or {@code null}
     * @return the URLs it served on
     * @throws Exception what the application's start-up or cleanup threw, or a listen failure
     */
    public static List<String> serve(Application app, RunOptions options, Event stop) throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        Event done = stop != null ? stop : new Event();
        List<String> urls = new ArrayList<>();
        try (AppRunner runner = new AppRunner(app, options.settings(), options.loopGroup())) {
            runner.setup();
            if (options.host() != null) {
                Site s = options.ssl() != null ? runner.addTlsSite(options.host(), options.port(), options.ssl())
                        : runner.addTcpSite(options.host(), options.port());
                urls.add(s.url());
            }
            if (options.unixPath() != null) {
                urls.add(runner.addUnixSite(options.unixPath()).url());
            }
            boolean signals = installSignals(loop, done);
            try {
                if (options.printBanner()) {
                    for (String u : urls) {
                        System.out.println("======== Running on " + u + " ========");
                    }
                    System.out.println("(Press CTRL+C to quit)");
                    System.out.flush();
                }
                done.waitUntilSet();
            } finally {
                if (signals) {
                    loop.removeSignalHandler("INT");
                    loop.removeSignalHandler("TERM");
                }
            }
        }
        return urls;
    }

    private static boolean installSignals(EventLoop loop, Event done) {
        try {
            loop.addSignalHandler("INT", done::set);
            loop.addSignalHandler("TERM", done::set);
            return true;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no signals here: the stop event and cancellation still work
        }
    }
}
