package io.asyncio4j.http.client;

import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.ServerSettings;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** An application served on the test's own loop for the client to talk to; closed with the test. */
final class Served implements AutoCloseable {
    final AppRunner runner;
    final int port;
    final String base;

    private Served(AppRunner runner, int port, String base) {
        this.runner = runner;
        this.port = port;
        this.base = base;
    }

    static Served start(Application app) throws Exception {
        return start(app, ServerSettings.defaults().withAccessLog(false).withShutdownTimeout(Duration.ofSeconds(2)),
                null);
    }

    static Served start(Application app, ServerSettings settings, SSLContext tls) throws Exception {
        AppRunner r = new AppRunner(app, settings);
        r.setup();
        int port = tls == null ? r.addTcpSite("127.0.0.1", 0).port() : r.addTlsSite("127.0.0.1", 0, tls).port();
        return new Served(r, port, (tls == null ? "http" : "https") + "://127.0.0.1:" + port);
    }

    String url(String path) {
        return base + path;
    }

    @Override
    public void close() {
        runner.cleanup();
    }
}
