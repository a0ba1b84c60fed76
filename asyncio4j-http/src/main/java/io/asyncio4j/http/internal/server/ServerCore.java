package io.asyncio4j.http.internal.server;

import io.asyncio4j.EventLoop;
import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.internal.h1.H1Limits;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.transport.BufferedProtocol;
import io.asyncio4j.sync.Event;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/*
 * Implementation overview
 *
 * What the connections of one runner share: the loop, the settings and limits, the dispatcher
 * (the application's side), the set of open connections (for the connection limit and the
 * graceful shutdown), the count of requests in flight with an Event set when it drops to 0, and
 * the access log. Loop thread only.
 */

/** The shared state of an HTTP server's connections. */
public final class ServerCore {
    private static final Logger SERVER_LOG = System.getLogger("io.asyncio4j.http.server");

    private final EventLoop loop;
    private final ServerSettings settings;
    private final H1Limits limits;
    private final Dispatcher dispatcher;
    private final long defaultClientMaxSize;
    private final AccessLog accessLog;
    private final Set<HttpConnection> connections = new LinkedHashSet<>();
    private final long keepAliveNs;
    private final long headerReadNs;
    private int inFlight;
    private final Event idle = new Event();
    private long requests;
    private final byte[] serverLine;

    /**
     * Makes the shared state.
     *
     * @param loop the loop
     * @param settings the settings
     * @param clientMaxSize the application's body limit
     * @param dispatcher the application's side
     */
    public ServerCore(EventLoop loop, ServerSettings settings, long clientMaxSize, Dispatcher dispatcher) {
        this.loop = loop;
        this.settings = settings;
        this.limits = new H1Limits(settings.maxRequestLine(), settings.maxHeaderSize(), settings.maxHeaders(),
                H1Limits.DEFAULTS.maxChunkLine(), clientMaxSize);
        this.dispatcher = dispatcher;
        this.defaultClientMaxSize = clientMaxSize;
        this.accessLog = settings.accessLog() ? new AccessLog(settings.accessLogFormat()) : null;
        this.keepAliveNs = settings.keepAliveTimeout().toNanos();
        this.headerReadNs = settings.headerReadTimeout().toNanos();
        this.serverLine = settings.serverHeader() == null ? null
                : io.asyncio4j.http.internal.h1.H1Encoder.fieldLine("Server", settings.serverHeader());
        idle.set();
    }

    /**
     * {@return a protocol factory for a listener}
     * @param tls whether the listener's connections are TLS
     */
    public Supplier<BufferedProtocol> protocolFactory(boolean tls) {
        return () -> new HttpConnection(this, tls);
    }

    EventLoop loop() {
        return loop;
    }

    /** {@return the Server field line of every response, or null} */
    byte[] serverLine() {
        return serverLine;
    }

    /** {@return the settings} */
    public ServerSettings settings() {
        return settings;
    }

    H1Limits limits() {
        return limits;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    long defaultClientMaxSize() {
        return defaultClientMaxSize;
    }

    long keepAliveNs() {
        return keepAliveNs;
    }

    long headerReadNs() {
        return headerReadNs;
    }

    /** Adds a connection; false if it is over the limit (it then answers 503). */
    boolean register(HttpConnection c) {
        connections.add(c);
        int max = settings.maxConnections();
        return max == 0 || connections.size() <= max;
    }

    void unregister(HttpConnection c) {
        connections.remove(c);
    }

    void requestStarted() {
        inFlight++;
        requests++;
        if (inFlight == 1) {
            idle.clear();
        }
    }

    void requestFinished(Exchange x, int status) {
        if (accessLog != null && x != null && x.head != null) {
            accessLog.log(x, status);
        }
        if (--inFlight == 0) {
            idle.set();
        }
    }

    void badRequest(HttpConnection c, HttpParseException e) {
        if (SERVER_LOG.isLoggable(Level.DEBUG)) {
            SERVER_LOG.log(Level.DEBUG, "bad request from " + c.transport().getExtraInfo(io.asyncio4j.transport.ExtraInfo.PEERNAME) + ": "
                    + e.status() + " " + e.getMessage());
        }
        if (--inFlight == 0) {
            idle.set();
        }
    }

    void headerTimeout(HttpConnection c) {
        SERVER_LOG.log(Level.DEBUG, () -> "dropping " + c.transport().getExtraInfo(io.asyncio4j.transport.ExtraInfo.PEERNAME)
                + ": the request's head took longer than " + settings.headerReadTimeout());
    }

    /** {@return how many connections are open} */
    public int connectionCount() {
        return connections.size();
    }

    /** {@return how many requests are being handled} */
    public int inFlight() {
        return inFlight;
    }

    /** {@return how many requests were started} */
    public long requestCount() {
        return requests;
    }

    /** Graceful shutdown, step 2: closes idle keep-alive connections; busy ones close after their response. */
    public void closeIdleConnections() {
        for (HttpConnection c : new ArrayList<>(connections)) {
            c.closeIfIdle();
        }
    }

    /**
     * Waits until no request is in flight. Suspends; checks for cancellation.
     */
    public void waitIdle() {
        idle.waitUntilSet();
    }

    /** Graceful shutdown, the end: cancels handlers still running and closes every connection. */
    public void cancelAll() {
        List<HttpConnection> all = new ArrayList<>(connections);
        for (HttpConnection c : all) {
            c.cancelInFlight();
        }
    }

    /** {@return whether any connection is busy} */
    public boolean anyBusy() {
        for (HttpConnection c : connections) {
            if (c.busy()) {
                return true;
            }
        }
        return false;
    }
}
