package io.asyncio4j.http.interop;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.sync.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * An application served on a loop of its own thread, for tests that drive it with real clients
 * (processes, blocking sockets). Closing it shuts the application down gracefully and waits.
 */
public final class BackgroundServer implements AutoCloseable {
    private final Thread thread;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile io.asyncio4j.EventLoop loop;
    private volatile Event stop;

    private BackgroundServer(Application app, ServerSettings settings, SSLContext ssl) {
        thread = Thread.ofPlatform().name("http-test-server").start(() -> {
            try {
                Asyncio.run(() -> {
                    loop = Asyncio.getRunningLoop();
                    stop = new Event();
                    try (AppRunner runner = new AppRunner(app, settings)) {
                        runner.setup();
                        int p = ssl == null ? runner.addTcpSite("127.0.0.1", 0).port()
                                : runner.addTlsSite("127.0.0.1", 0, ssl).port();
                        port.complete(p);
                        stop.waitUntilSet();
                    }
                    return null;
                });
                done.complete(null);
            } catch (Throwable e) {
                port.completeExceptionally(e);
                done.completeExceptionally(e);
            }
        });
    }

    /**
     * Starts an application on 127.0.0.1 (access log off).
     *
     * @param app the application
     * @return the server, listening
     * @throws Exception if it could not start
     */
    public static BackgroundServer start(Application app) throws Exception {
        return start(app, ServerSettings.defaults().withAccessLog(false), null);
    }

    /**
     * Starts an application with settings, over TLS when a context is given.
     *
     * @param app the application
     * @param settings the settings
     * @param ssl the server's TLS context, or null
     * @return the server, listening
     * @throws Exception if it could not start
     */
    public static BackgroundServer start(Application app, ServerSettings settings, SSLContext ssl) throws Exception {
        BackgroundServer s = new BackgroundServer(app, settings, ssl);
        s.port.get(30, TimeUnit.SECONDS);
        return s;
    }

    /** {@return the port} */
    public int port() {
        return port.join();
    }

    @Override
    public void close() throws Exception {
        loop.callSoonThreadsafe(() -> stop.set());
        done.get(30, TimeUnit.SECONDS);
        thread.join(5000);
    }
}
