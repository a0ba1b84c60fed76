package io.asyncio4j.http.client;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Handle;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.internal.client.ClientAccess;
import io.asyncio4j.http.internal.client.ClientConnection;
import io.asyncio4j.http.internal.client.ConnectionPool;
import io.asyncio4j.http.internal.client.Decoder;
import io.asyncio4j.http.internal.client.DnsCache;
import io.asyncio4j.http.internal.client.InsecureTls;
import io.asyncio4j.http.internal.client.PoolKey;
import io.asyncio4j.http.internal.client.ProxyEnv;
import io.asyncio4j.http.internal.client.ProxyRoute;
import io.asyncio4j.http.internal.client.ResponseBody;
import io.asyncio4j.http.internal.client.Tunnel;
import io.asyncio4j.http.internal.client.Urls;
import io.asyncio4j.http.internal.h1.H1Parser;
import io.asyncio4j.http.internal.h1.MessageHead;
import io.asyncio4j.http.internal.ws.WsClientHandshake;
import io.asyncio4j.http.ws.WebSocket;
import io.asyncio4j.http.ws.WsHandshakeException;
import io.asyncio4j.http.ws.WsOptions;
import io.asyncio4j.sync.Event;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/*
 * Implementation overview
 *
 * The front door: options, the pool, the cookie jar, and the request loop. request() resolves the
 * URL, then for each hop of a redirect chain: prepares the head (session fields, request fields,
 * Host, User-Agent, Accept-Encoding, cookies, auth), gets a connection from the pool, sends
 * (Exchange.send), reads the head (Exchange.readHead), stores cookies, and either follows a
 * redirect (releasing the previous response: its connection is kept if its body was already
 * buffered) or returns the response, whose body (ResponseBody) gives the connection back when it
 * ends. The stale-connection retry happens around one hop: a reused connection that broke before
 * any byte of the response arrived, an idempotent method and a replayable body: once, on a new
 * connection.
 *
 * Proxies. Each hop picks its proxy (routeFor): the request's, else the session's, else with
 * trustEnv the environment's for the URL's scheme unless NO_PROXY names its host. A plain http
 * hop then goes to a connection keyed by the proxy (shared by every origin), in absolute form with
 * the proxy's credentials and fields; an https hop (and an upgrade) to a tunnel keyed by proxy and
 * origin, which the pool opens with CONNECT. A redirect may change the proxy, as the scheme or the
 * host changes.
 *
 * Every failure of a hop discards its connection (a CancelledError too: a cancelled request never
 * leaves a connection in the middle of an exchange in the pool). `inFlight` counts requests that
 * are between their start and their response head, for close(), which waits for them. Loop thread
 * only: a session belongs to the loop it was opened on.
 */

/**
 * An HTTP/1.1 client session: aiohttp's {@code ClientSession} with its {@code TCPConnector}. It
 * keeps a pool of keep-alive connections (100 in all by default, optionally limited per host), a
 * cookie jar and default options; open one per application (not one per request) and close it
 * with try-with-resources. Call it from a task of the loop it was opened on.
 *
 * {@snippet :
 * Asyncio.run(() -> {
 *     try (ClientSession session = ClientSession.open()) {
 *         try (ClientResponse r = session.get("http://python.org")) {
 *             System.out.println("Status: " + r.status());
 *             System.out.println("Content-type: " + r.header("Content-Type"));
 *             System.out.println("Body: " + r.text().substring(0, 15) + "...");
 *         }
 *     }
 * });
 * }
 *
 * <p>Proxies: {@link ClientOptions#withProxy(String)} for the session, {@link
 * RequestOptions#withProxy(String)} for one request, {@link ClientOptions#withTrustEnv} for the
 * environment's ({@code HTTP_PROXY}, {@code HTTPS_PROXY}, {@code NO_PROXY}). Host names are
 * resolved through a DNS cache (aiohttp's {@code use_dns_cache}, 10 seconds by default:
 * {@link ClientOptions#withTtlDnsCache}; {@link #clearDnsCache()}).
 *
 * <p>Errors: a connection that cannot be made is a {@link ClientConnectorError} (DNS:
 * {@link ClientConnectorDnsError}, TLS: {@link ClientSslError}, the proxy: {@link
 * ClientProxyConnectionError}); a proxy refusing a tunnel a {@link ClientHttpProxyError}; a
 * server that closes too early a {@link ServerDisconnectedError}; a body cut short a
 * {@link ClientPayloadError}; a malformed head a {@link ClientProtocolError}; a timeout a
 * {@link ClientTimeoutError} naming which ({@link ClientTimeout}); a status of 400 or more, when
 * asked, a {@link ClientResponseError}.
 */
public final class ClientSession implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    static {
        ClientAccess.install(new Upgrades());
    }

    private final EventLoop loop;
    private final ClientOptions options;
    /** The environment's proxies (trustEnv), or {@code null}. */
    private final ProxyEnv env;
    private final ConnectionPool pool;
    private final SSLContext verifying;
    private final Unclosed unclosed;
    private final Cleaner.Cleanable cleanable;
    private int inFlight;
    private Event idle;
    private boolean closing;
    private boolean closed;

    /**
     * What reports a session that was never closed (it holds no reference to the session): when its
     * loop closes, through the loop's close hook, or earlier when the garbage collector finds the
     * session unreachable, through the cleaner. Either way the pool's connections are closed.
     */
    private static final class Unclosed implements Runnable {
        final EventLoop loop;
        final ConnectionPool pool;
        final Throwable openedAt;
        final Handle atLoopClose;
        volatile boolean closed;

        Unclosed(EventLoop loop, ConnectionPool pool, Throwable openedAt) {
            this.loop = loop;
            this.pool = pool;
            this.openedAt = openedAt;
            this.atLoopClose = loop.onClose(this::report);
        }

        /** The cleaner's action (its own thread): the report goes to the loop. */
        @Override
        public void run() {
            if (closed || loop.isClosed()) {
                return;
            }
            try {
                loop.callSoonThreadsafe(this::report);
            } catch (RuntimeException e) {
                // the loop closed meanwhile: its close hook reported the session
            }
        }

        /** Closes the pool and reports the session, once (loop thread). */
        void report() {
            if (closed) {
                return;
            }
            closed = true;
            atLoopClose.cancel();
            pool.close();
            loop.callExceptionHandler(new io.asyncio4j.ExceptionContext("Unclosed client session"
                    + (openedAt == null ? " (set the loop's debug mode to see where it was opened)" : ""),
                    openedAt, null, null, null));
        }
    }

    private ClientSession(ClientOptions options, Map<String, String> environment, DnsCache.Resolver resolver) {
        this.loop = Asyncio.getRunningLoop();
        this.options = options;
        ProxyEnv fromEnv = options.trustEnv() && options.unixSocket() == null ? ProxyEnv.from(environment)
                : ProxyEnv.NONE;
        this.env = fromEnv == ProxyEnv.NONE ? null : fromEnv;
        this.pool = new ConnectionPool(loop, options.limit(), options.limitPerHost(), options.keepAliveTimeout(),
                options.events(), new DnsCache(loop, resolver, options.useDnsCache(), options.ttlDnsCache(),
                options.events()));
        try {
            this.verifying = options.ssl() != null ? options.ssl() : SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        Throwable openedAt = loop.getDebug() ? new Throwable("the session was opened here") : null;
        this.unclosed = new Unclosed(loop, pool, openedAt);
        this.cleanable = CLEANER.register(this, unclosed);
    }

    /**
     * Opens a session with the defaults ({@link ClientOptions#defaults()}). Never suspends.
     *
     * @return the session
     * @throws IllegalStateException outside a running loop
     */
    public static ClientSession open() {
        return open(ClientOptions.defaults());
    }

    /**
     * Opens a session with options. Never suspends.
     *
     * @param options the options
     * @return the session
     * @throws IllegalStateException outside a running loop
     */
    public static ClientSession open(ClientOptions options) {
        return new ClientSession(options, options.trustEnv() ? System.getenv() : Map.of(), null);
    }

    /**
     * Opens a session with an environment and a resolver of the test's: the seams of the proxy and
     * DNS cache tests (the JVM's environment cannot change, and a lookup count needs a resolver
     * that counts). Never suspends.
     */
    static ClientSession open(ClientOptions options, Map<String, String> environment, DnsCache.Resolver resolver) {
        return new ClientSession(options, environment, resolver);
    }

    /** {@return the options} */
    public ClientOptions options() {
        return options;
    }

    /** {@return the cookie jar, or {@code null} when the session keeps no cookies} */
    public CookieJar cookieJar() {
        return options.cookieJar();
    }

    /**
     * A snapshot of the pool.
     *
     * @param connections the connections open or opening
     * @param idle the idle ones
     * @param waiting the requests waiting for a connection
     * @param created the connections opened so far
     * @param reused the times a kept-alive connection was reused
     */
    public record PoolStats(int connections, int idle, int waiting, long created, long reused) {
    }

    /** {@return the pool's counts now} Never suspends. */
    public PoolStats poolStats() {
        ConnectionPool.Stats s = pool.stats();
        return new PoolStats(s.total(), s.idle(), s.waiting(), s.created(), s.reused());
    }

    /**
     * Forgets every cached DNS answer: aiohttp's {@code connector.clear_dns_cache()}. The next
     * connection to each host resolves it again; connections already open are kept. Never suspends.
     */
    public void clearDnsCache() {
        pool.dnsCache().clear();
    }

    /**
     * Forgets the cached DNS answer for one host and port: aiohttp's {@code
     * connector.clear_dns_cache(host, port)}. Never suspends.
     *
     * @param host the host name, as in the URL (case does not matter)
     * @param port the port
     */
    public void clearDnsCache(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        pool.dnsCache().clear(h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h, port);
    }

    // ------------------------------------------------------------------ the verbs

    /**
     * Sends a GET. Suspends until the response head arrives; checks for cancellation.
     *
     * @param url the URL (absolute, or relative to the base URL)
     * @return the response (close it)
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse get(String url) throws IOException {
        return request(HttpMethod.GET, url, RequestOptions.defaults());
    }

    /**
     * Sends a GET with options. Suspends until the response head arrives; checks for cancellation.
     *
     * @param url the URL
     * @param options the options
     * @return the response
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse get(String url, RequestOptions options) throws IOException {
        return request(HttpMethod.GET, url, options);
    }

    /**
     * Sends a POST with a body. Suspends until the response head arrives; checks for cancellation.
     *
     * @param url the URL
     * @param body the body
     * @return the response
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse post(String url, RequestBody body) throws IOException {
        return request(HttpMethod.POST, url, RequestOptions.of(body));
    }

    /**
     * Sends a POST with options (the body among them). Suspends; checks for cancellation.
     *
     * @param url the URL
     * @param options the options
     * @return the response
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse post(String url, RequestOptions options) throws IOException {
        return request(HttpMethod.POST, url, options);
    }

    /**
     * Sends a PUT with a body. Suspends; checks for cancellation.
     *
     * @param url the URL
     * @param body the body
     * @return the response
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse put(String url, RequestBody body) throws IOException {
        return request(HttpMethod.PUT, url, RequestOptions.of(body));
    }

    /**
     * Sends a PATCH with a body. Suspends; checks for cancellation.
     *
     * @param url the URL
     * @param body the body
     * @return the response
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse patch(String url, RequestBody body) throws IOException {
        return request(HttpMethod.PATCH, url, RequestOptions.of(body));
    }

    /**
     * Sends a DELETE. Suspends; checks for cancellation.
     *
     * @param url the URL
     * @return the response
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse delete(String url) throws IOException {
        return request(HttpMethod.DELETE, url, RequestOptions.defaults());
    }

    /**
     * Sends a HEAD (redirects are not followed, as in aiohttp). Suspends; checks for cancellation.
     *
     * @param url the URL
     * @return the response (no body)
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse head(String url) throws IOException {
        return request(HttpMethod.HEAD, url, RequestOptions.defaults().withAllowRedirects(false));
    }

    /**
     * Sends an OPTIONS. Suspends; checks for cancellation.
     *
     * @param url the URL
     * @return the response
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse options(String url) throws IOException {
        return request(HttpMethod.OPTIONS, url, RequestOptions.defaults());
    }

    /**
     * Sends a request: aiohttp's {@code session.request(method, url, ...)}. Suspends until the
     * response head arrives (after redirects); checks for cancellation. The body is read from the
     * response.
     *
     * @param method the method
     * @param url the URL (absolute, or relative to the base URL)
     * @param options the options
     * @return the response (close it)
     * @throws IOException a {@link ClientError} saying what failed
     * @throws InvalidUrlError if the URL is not one the client can request
     * @throws ClientTimeoutError if a timeout passed
     * @throws IllegalStateException if the session is closed
     */
    public ClientResponse request(HttpMethod method, String url, RequestOptions options) throws IOException {
        URI u = Urls.withParams(Urls.parse(this.options.baseUrl(), url, "http", "https"), options.params());
        return send(method, u, options);
    }

    /**
     * Sends a request to a URL already parsed. Suspends; checks for cancellation.
     *
     * @param method the method
     * @param url the URL (absolute, http or https)
     * @param options the options (their parameters are appended to the URL)
     * @return the response
     * @throws IOException a {@link ClientError} saying what failed
     */
    public ClientResponse request(HttpMethod method, URI url, RequestOptions options) throws IOException {
        return send(method, Urls.withParams(Urls.check(url, url.toString(), "http", "https"), options.params()),
                options);
    }

    private ClientResponse send(HttpMethod method, URI u, RequestOptions options) throws IOException {
        checkOpen();
        ClientTimeout timeout = options.timeout() != null ? options.timeout() : this.options.timeout();
        long start = loop.time();
        long totalDeadline = timeout.total() == null ? Long.MAX_VALUE : start + timeout.total().toNanos();
        boolean raise = options.raiseForStatus() != null ? options.raiseForStatus() : this.options.raiseForStatus();
        int maxRedirects = options.maxRedirects() >= 0 ? options.maxRedirects() : this.options.maxRedirects();
        Exchange.Prepared body = Exchange.prepare(options.body(), this.options.json());
        BasicAuth auth = options.auth() != null ? options.auth() : authFromUrl(u);
        URI origin = u;
        List<ClientResponse> history = new ArrayList<>();
        HttpMethod m = method;
        inFlight++;
        try {
            while (true) {
                Headers headers = headersFor(m, u, options.headers(), body, Urls.sameOrigin(origin, u) ? auth : null,
                        Urls.sameOrigin(origin, u));
                ClientResponse r = hop(m, u, routeFor(u, options), headers, body, options.verifyTls(), timeout,
                        totalDeadline);
                int s = r.status();
                String location = r.header("Location");
                boolean redirect = (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && location != null;
                if (!redirect || !options.allowRedirects()) {
                    r.setHistory(history);
                    if (raise) {
                        r.raiseForStatus();
                    }
                    return r;
                }
                r.release();
                history.add(r);
                URI next;
                try {
                    next = Urls.parse(u, location, "http", "https");
                } catch (InvalidUrlError e) {
                    throw new ClientError(u, "the server redirected to a URL the client cannot follow: " + location,
                            e);
                }
                if (history.size() > maxRedirects || isLoop(history, next)) {
                    StringBuilder chain = new StringBuilder();
                    for (ClientResponse h : history) {
                        chain.append(h.url()).append(" -> ");
                    }
                    chain.append(next);
                    throw new TooManyRedirectsError(r.url(), s, (history.size() > maxRedirects ? "more than "
                            + maxRedirects + " redirects: " : "a redirect loop: ") + chain, r.headers(), history);
                }
                if (s == 303 && !m.equals(HttpMethod.HEAD) || (s == 301 || s == 302) && m.equals(HttpMethod.POST)) {
                    m = HttpMethod.GET; // RFC 9110 §15.4: the body is dropped
                    body = null;
                } else if (body != null && !body.source().replayable()) {
                    throw new ClientError(next, "the server redirected with " + s + ", which keeps the body, but "
                            + "the body is a stream that cannot be sent twice", null);
                }
                u = next;
            }
        } finally {
            if (--inFlight == 0 && idle != null) {
                idle.set();
            }
        }
    }

    private static boolean isLoop(List<ClientResponse> history, URI next) {
        // the same URL twice with no cookie set on the way is a loop (a login flow sets one)
        for (ClientResponse h : history) {
            if (!h.headers().getAll("Set-Cookie").isEmpty()) {
                return false;
            }
        }
        for (ClientResponse h : history) {
            if (h.url().equals(next)) {
                return true;
            }
        }
        return false;
    }

    private static BasicAuth authFromUrl(URI u) {
        String info = u.getRawUserInfo();
        if (info == null) {
            return null;
        }
        int colon = info.indexOf(':');
        String login = io.asyncio4j.http.Params.decode(colon < 0 ? info : info.substring(0, colon), false,
                java.nio.charset.StandardCharsets.UTF_8);
        String password = colon < 0 ? "" : io.asyncio4j.http.Params.decode(info.substring(colon + 1), false,
                java.nio.charset.StandardCharsets.UTF_8);
        return new BasicAuth(login, password);
    }

    private Headers headersFor(HttpMethod m, URI u, Headers own, Exchange.Prepared body, BasicAuth auth,
                               boolean sameOrigin) {
        Headers h = new Headers();
        h.add("Host", Urls.hostHeader(u));
        Headers session = options.headers();
        for (int i = 0; i < session.size(); i++) {
            if (!own.contains(session.name(i))) {
                h.add(session.name(i), session.value(i));
            }
        }
        for (int i = 0; i < own.size(); i++) {
            String n = own.name(i);
            if (n.equalsIgnoreCase("Host")) {
                h.set("Host", own.value(i));
            } else if (!sameOrigin && (n.equalsIgnoreCase("Authorization") || n.equalsIgnoreCase("Cookie"))) {
                continue; // never to another origin a redirect leads to
            } else if (!n.equalsIgnoreCase("Content-Length") && !n.equalsIgnoreCase("Transfer-Encoding")) {
                h.add(n, own.value(i));
            }
        }
        if (options.userAgent() != null && !h.contains("User-Agent")) {
            h.add("User-Agent", options.userAgent());
        }
        if (!h.contains("Accept")) {
            h.add("Accept", "*/*");
        }
        if (options.autoDecompress() && !h.contains("Accept-Encoding")) {
            h.add("Accept-Encoding", Decoder.acceptEncoding()); // br and zstd only when their libraries are here
        }
        if (options.cookieJar() != null) {
            String c = options.cookieJar().cookieHeader(u);
            if (c != null) {
                String mine = h.get("Cookie");
                h.set("Cookie", mine == null ? c : mine + "; " + c);
            }
        }
        if (auth != null && !h.contains("Authorization")) {
            h.add("Authorization", auth.encode());
        }
        if (body != null && body.contentType() != null && !h.contains("Content-Type")) {
            h.add("Content-Type", body.contentType());
        }
        return h;
    }

    /**
     * The proxy of one hop: the request's, else the session's, else the environment's for the
     * URL (trustEnv), or {@code null} to go directly. As in aiohttp, NO_PROXY filters only the
     * environment's proxies: a proxy given in the options is used for every URL.
     */
    private ProxyRoute routeFor(URI u, RequestOptions ro) {
        URI proxy = ro.proxy() != null ? ro.proxy() : options.proxy();
        if (proxy == null && env != null) {
            proxy = env.proxyFor(u);
        }
        if (proxy == null) {
            return null;
        }
        if (options.unixSocket() != null) {
            throw new IllegalArgumentException("this session connects through the Unix socket " + options.unixSocket()
                    + ": a request cannot go through a proxy too");
        }
        Headers extra = options.proxyHeaders();
        if (!ro.proxyHeaders().isEmpty()) {
            extra = extra.copy();
            for (String name : ro.proxyHeaders().names()) {
                extra.remove(name);
            }
            extra.addAll(ro.proxyHeaders());
        }
        return ProxyRoute.of(proxy, ro.proxyAuth() != null ? ro.proxyAuth() : options.proxyAuth(), extra);
    }

    /**
     * The pool key of one hop: direct; the proxy's own for a plain request through it (every
     * origin shares its connections); a tunnel per origin for TLS, and for an upgrade (a WebSocket
     * cannot go in absolute form).
     */
    private PoolKey keyFor(URI u, boolean verify, ProxyRoute route, boolean upgrade) {
        boolean tls = Urls.isSecure(u);
        SSLContext ctx = !tls ? null : verify ? verifying : InsecureTls.context();
        String host = Urls.host(u).toLowerCase(Locale.ROOT);
        if (route == null) {
            return PoolKey.direct(tls, host, Urls.port(u), ctx, verify, options.unixSocket());
        }
        if (!tls && !upgrade) {
            return PoolKey.toProxy(route);
        }
        return PoolKey.tunnel(tls, host, Urls.port(u), ctx, verify, route);
    }

    /** {@return the URL as a request target in absolute form: no credentials, no fragment} */
    private static String absoluteForm(URI u) {
        return u.getScheme() + "://" + Urls.hostHeader(u) + Urls.target(u);
    }

    /** {@return the fields of a plain request through a proxy: the proxy's credentials and fields added} */
    private static Headers withProxyFields(Headers headers, ProxyRoute route) {
        Headers h = headers.copy();
        if (route.authorization() != null && !h.contains("Proxy-Authorization")) {
            h.add("Proxy-Authorization", route.authorization());
        }
        for (int i = 0; i < route.headers().size(); i++) {
            if (!h.contains(route.headers().name(i))) {
                h.add(route.headers().name(i), route.headers().value(i));
            }
        }
        return h;
    }

    /** One request and its response head, with the stale-connection retry. */
    private ClientResponse hop(HttpMethod m, URI u, ProxyRoute route, Headers headers, Exchange.Prepared body,
                               boolean verify, ClientTimeout timeout, long totalDeadline) throws IOException {
        PoolKey key = keyFor(u, verify, route, false);
        String target = Urls.target(u);
        if (key.absoluteForm()) {
            target = absoluteForm(u);
            headers = withProxyFields(headers, route);
        }
        ClientEvents events = options.events();
        if (events != null) {
            events.requestStart(m, u, headers);
        }
        boolean retryable = isIdempotent(m) && (body == null || body.source().replayable());
        for (int attempt = 0; ; attempt++) {
            long now = loop.time();
            long connectDeadline = totalDeadline;
            ClientTimeout.Kind kind = ClientTimeout.Kind.TOTAL;
            if (timeout.connect() != null && now + timeout.connect().toNanos() < connectDeadline) {
                connectDeadline = now + timeout.connect().toNanos();
                kind = ClientTimeout.Kind.CONNECT;
            }
            ClientConnection c;
            try {
                c = pool.acquire(key, u, attempt > 0, connectDeadline, kind, timeout.sockConnect());
            } catch (IOException | RuntimeException e) {
                if (events != null) {
                    events.requestException(m, u, e);
                }
                throw e;
            }
            boolean ok = false;
            try {
                H1Parser parser = c.parser(Exchange.RESPONSE_LIMITS);
                long sockRead = timeout.sockRead() == null ? 0 : timeout.sockRead().toNanos();
                MessageHead head;
                Exchange.send(c, m, u, target, headers, body, events);
                head = Exchange.readHead(loop, c, parser, m, u, sockRead, totalDeadline);
                ClientResponse r = respond(m, u, c, parser, head, sockRead, totalDeadline);
                ok = true;
                if (events != null) {
                    events.requestEnd(m, u, head.status());
                }
                return r;
            } catch (Exchange.Stale e) {
                pool.discard(c);
                ok = true;
                if (attempt == 0 && c.reused() && retryable) {
                    continue; // the server closed the idle connection as we reused it: once more, on a new one
                }
                ServerDisconnectedError d = new ServerDisconnectedError(u, e.getMessage(), e.getCause());
                if (events != null) {
                    events.requestException(m, u, d);
                }
                throw d;
            } catch (IOException | RuntimeException e) {
                IOException mapped = e instanceof IOException io && !(e instanceof ClientError)
                        ? new ServerDisconnectedError(u, "the connection failed: " + e.getMessage(), e) : null;
                if (events != null) {
                    events.requestException(m, u, mapped != null ? mapped : e);
                }
                if (mapped != null) {
                    throw mapped;
                }
                throw e;
            } finally {
                if (!ok) {
                    pool.discard(c); // a failure or a cancellation: the connection is in an unknown state
                }
            }
        }
    }

    private ClientResponse respond(HttpMethod m, URI u, ClientConnection c, H1Parser parser, MessageHead head,
                                   long sockRead, long totalDeadline) throws IOException {
        if (options.cookieJar() != null) {
            List<String> set = head.headers().getAll("Set-Cookie");
            if (!set.isEmpty()) {
                options.cookieJar().update(u, set);
            }
        }
        ResponseBody body;
        boolean noBody = m.equals(HttpMethod.HEAD) || head.status() == 204 || head.status() == 304
                || head.status() == 101;
        if (head.status() == 101) {
            throw new ClientProtocolError(u, "the server switched protocols (101) without being asked to", null);
        }
        if (noBody && parser.bodyComplete() || !head.hasBody()) {
            // read the END event now: the connection can go back to the pool before the user reads
            H1Parser.Event e = parser.next(c.input());
            if (e != H1Parser.Event.END) {
                throw new ClientProtocolError(u, "a response without a body had " + e, null);
            }
            pool.release(c, head.keepAlive());
            body = ResponseBody.empty(loop, u);
        } else {
            String enc = head.headers().get("Content-Encoding");
            Decoder d = options.autoDecompress() ? Decoder.forEncoding(enc, Long.MAX_VALUE) : null;
            body = new ResponseBody(loop, u, pool, c, parser, head.keepAlive(), d, sockRead, totalDeadline,
                    options.events(), null);
        }
        return new ClientResponse(m, u, head.status(), head.reason(), head.version(), head.headers(), body,
                options.json());
    }

    private static boolean isIdempotent(HttpMethod m) {
        return m == HttpMethod.GET || m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
                || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.TRACE);
    }

    /**
     * Opens a WebSocket with this session's settings: aiohttp's {@code session.ws_connect}.
     * Suspends; checks for cancellation.
     *
     * <p>The URL is resolved against the base URL ({@code http}/{@code https} become {@code
     * ws}/{@code wss}); the handshake request carries the session's default headers, its user
     * agent and the cookies its jar holds for the URL, then the options' own headers (which win);
     * the session's TLS context is used unless the options name one. With a session's proxy (or the
     * environment's, with {@code trustEnv}), the WebSocket goes through a {@code CONNECT} tunnel,
     * TLS with the origin inside it for wss://. The WebSocket has a
     * connection of its own, outside the pool, and lives until it is closed, not until the
     * session is: close it (try-with-resources) before the session.
     *
     * @param url the URL: absolute ({@code ws://}, {@code wss://}, {@code http://}, {@code
     *     https://}) or relative to the base URL
     * @param options the WebSocket's options
     * @return the open WebSocket
     * @throws IOException if the connection or the handshake fails ({@link WsHandshakeException}
     *     with the status and the start of the body when the server does not answer 101; {@link
     *     ClientHttpProxyError} when a proxy refuses the tunnel)
     * @throws InvalidUrlError if the URL is malformed or has another scheme
     * @throws IllegalStateException if the session is closed or belongs to another loop
     */
    public WebSocket wsConnect(String url, WsOptions options) throws IOException {
        checkOpen();
        URI u = Urls.parse(this.options.baseUrl(), url, "ws", "wss", "http", "https");
        String scheme = switch (u.getScheme()) {
            case "http" -> "ws";
            case "https" -> "wss";
            default -> u.getScheme();
        };
        try {
            u = new URI(scheme, u.getRawSchemeSpecificPart(), u.getRawFragment());
        } catch (java.net.URISyntaxException e) {
            throw new InvalidUrlError(url, e.getReason());
        }
        Headers h = new Headers();
        if (this.options.headers() != null) {
            h.addAll(this.options.headers());
        }
        Headers own = options.headers();
        if (own != null) {
            for (String name : own.names()) {
                h.remove(name);
            }
            h.addAll(own);
        }
        if (this.options.userAgent() != null) {
            h.setIfAbsent("User-Agent", this.options.userAgent());
        }
        if (this.options.cookieJar() != null) {
            String c = this.options.cookieJar().cookieHeader(u);
            if (c != null) {
                String mine = h.get("Cookie");
                h.set("Cookie", mine == null ? c : mine + "; " + c);
            }
        }
        WsOptions merged = options.withHeaders(h);
        if (options.ssl() == null && this.options.ssl() != null) {
            merged = merged.withSsl(this.options.ssl());
        }
        ProxyRoute route = routeFor(u, RequestOptions.defaults());
        if (route == null) {
            return WebSocket.connect(u.toString(), merged);
        }
        URI wsUrl = u;
        return WsClientHandshake.connect(u.toString(), merged, (host, port, co) -> Tunnel.overStreams(route, host,
                port, co, wsUrl));
    }

    /**
     * Opens a WebSocket with this session's settings and the default WebSocket options.
     * Suspends; checks for cancellation.
     *
     * @param url the URL: absolute or relative to the base URL
     * @return the open WebSocket
     * @throws IOException if the connection or the handshake fails
     * @see #wsConnect(String, WsOptions)
     */
    public WebSocket wsConnect(String url) throws IOException {
        return wsConnect(url, WsOptions.defaults());
    }

    private void checkOpen() {
        if (closing || closed) {
            throw new IllegalStateException("the session is closed");
        }
        if (Asyncio.getRunningLoop() != loop) {
            throw new IllegalStateException("a session belongs to the loop it was opened on; open one per loop");
        }
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return closing || closed;
    }

    /**
     * Closes the session: new requests are refused, requests whose head has not arrived yet are
     * waited for, then every connection is closed (the body of a response not read yet fails).
     * Idempotent. Suspends while requests are in flight; checks for cancellation.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closing = true;
        try {
            if (inFlight > 0) {
                idle = new Event();
                idle.waitUntilSet();
            }
        } catch (CancelledError e) {
            finishClose();
            throw e;
        }
        finishClose();
    }

    private void finishClose() {
        closed = true;
        unclosed.closed = true;
        unclosed.atLoopClose.cancel();
        pool.close();
        cleanable.clean();
    }

    // ------------------------------------------------------------------ the seam for WebSocket

    /** Opens a connection, sends an upgrade request and hands the connection over on a 101. */
    private static final class Upgrades implements ClientAccess.Hook {
        @Override
        public ClientAccess.Upgrade upgrade(ClientSession s, HttpMethod method, URI url, Headers headers,
                                            RequestOptions options) throws IOException {
            return s.upgrade(method, url, headers, options);
        }
    }

    private ClientAccess.Upgrade upgrade(HttpMethod method, URI url, Headers own, RequestOptions options)
            throws IOException {
        checkOpen();
        URI httpUrl = Urls.check(url, url.toString(), "http", "https", "ws", "wss");
        ClientTimeout timeout = options.timeout() != null ? options.timeout() : this.options.timeout();
        long start = loop.time();
        long totalDeadline = timeout.total() == null ? Long.MAX_VALUE : start + timeout.total().toNanos();
        BasicAuth auth = options.auth() != null ? options.auth() : authFromUrl(httpUrl);
        Headers headers = headersFor(method, httpUrl, own, null, auth, true);
        headers.remove("Accept-Encoding");
        PoolKey key = keyFor(httpUrl, options.verifyTls(), routeFor(httpUrl, options), true);
        inFlight++;
        try {
            long connectDeadline = timeout.connect() == null ? totalDeadline
                    : Math.min(totalDeadline, start + timeout.connect().toNanos());
            ClientConnection c = pool.acquire(key, httpUrl, true, connectDeadline, connectDeadline == totalDeadline
                    ? ClientTimeout.Kind.TOTAL : ClientTimeout.Kind.CONNECT, timeout.sockConnect());
            boolean ok = false;
            try {
                H1Parser parser = c.parser(Exchange.RESPONSE_LIMITS);
                long sockRead = timeout.sockRead() == null ? 0 : timeout.sockRead().toNanos();
                Exchange.send(c, method, httpUrl, Urls.target(httpUrl), headers, null, this.options.events());
                MessageHead head;
                try {
                    head = Exchange.readHead(loop, c, parser, method, httpUrl, sockRead, totalDeadline);
                } catch (Exchange.Stale e) {
                    throw new ServerDisconnectedError(httpUrl, e.getMessage(), e.getCause());
                }
                // raiseForStatus does not apply: the caller decides what a refused upgrade means
                if (head.status() == 101) {
                    if (this.options.cookieJar() != null) {
                        this.options.cookieJar().update(httpUrl, head.headers().getAll("Set-Cookie"));
                    }
                    parser.upgrade();
                    ok = true;
                    ClientResponse r = new ClientResponse(method, httpUrl, 101, head.reason(), head.version(),
                            head.headers(), ResponseBody.empty(loop, httpUrl), this.options.json());
                    return ClientAccess.detach(pool, c, r);
                }
                ClientResponse r = respond(method, httpUrl, c, parser, head, sockRead, totalDeadline);
                ok = true;
                return new ClientAccess.Upgrade(r, null, null);
            } finally {
                if (!ok) {
                    pool.discard(c);
                }
            }
        } finally {
            if (--inFlight == 0 && idle != null) {
                idle.set();
            }
        }
    }

    @Override
    public String toString() {
        return "ClientSession[" + (closed ? "closed" : pool.stats()) + "]";
    }
}
