package io.asyncio4j.http.internal.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.Cookie;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.HttpVersion;
import io.asyncio4j.http.MediaType;
import io.asyncio4j.http.Params;
import io.asyncio4j.http.internal.h1.MessageHead;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.BodyReader;
import io.asyncio4j.http.server.FormData;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.http.server.MultipartReader;
import io.asyncio4j.http.server.Request;
import io.asyncio4j.http.server.Route;
import io.asyncio4j.http.server.StateKey;
import io.asyncio4j.transport.ExtraInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** The request of an exchange: the head's parts, parsed on first use, and the body's readers. */
public final class RequestImpl implements Request {
    private static final BodyReader NO_BODY = new EmptyBody();

    private final Exchange exchange;
    private final MessageHead head;
    private String rawPath;
    private String queryString;
    private String path;
    private String routingPath;
    private Params query;
    private Map<String, String> cookies;
    private Map<StateKey<?>, Object> state;
    private Map<String, String> matchInfo = Map.of();
    private Route route;
    private Application app;
    private List<Application> appChain = List.of();
    private long clientMaxSize;
    private boolean bodyTaken;

    RequestImpl(Exchange exchange) {
        this.exchange = exchange;
        this.head = exchange.head;
        this.clientMaxSize = exchange.conn.core.defaultClientMaxSize();
    }

    /** {@return the exchange} */
    public Exchange exchange() {
        return exchange;
    }

    // ------------------------------------------------------------------ set by the dispatcher

    /**
     * Records the routing result.
     *
     * @param app the matched application
     * @param chain the applications from the root to the matched one
     * @param route the route, or {@code null}
     * @param params the matched parameters
     */
    public void setMatch(Application app, List<Application> chain, Route route, Map<String, String> params) {
        this.app = app;
        this.appChain = chain;
        this.route = route;
        this.matchInfo = params.isEmpty() ? Map.of() : Collections.unmodifiableMap(params);
    }

    /** {@return the path routes match: decoded, but with %2F and %25 kept encoded} */
    public String routingPath() {
        if (routingPath == null) {
            splitTarget();
            routingPath = PathCodec.decodeForRouting(rawPath);
        }
        return routingPath;
    }

    // ------------------------------------------------------------------ head

    @Override
    public HttpMethod method() {
        return head.method();
    }

    @Override
    public HttpVersion version() {
        return head.version();
    }

    @Override
    public String target() {
        return head.target();
    }

    private void splitTarget() {
        if (rawPath != null) {
            return;
        }
        String t = head.target();
        int start = 0;
        if (!t.startsWith("/") && !t.equals("*") && head.method() != HttpMethod.CONNECT) {
            // absolute-form: scheme://authority/path?query
            int scheme = t.indexOf("://");
            int slash = t.indexOf('/', scheme + 3);
            int q = t.indexOf('?', scheme + 3);
            if (slash < 0 || (q >= 0 && q < slash)) {
                rawPath = "/";
                queryString = q < 0 ? "" : t.substring(q + 1);
                return;
            }
            start = slash;
        }
        int q = t.indexOf('?', start);
        rawPath = q < 0 ? (start == 0 ? t : t.substring(start)) : t.substring(start, q);
        queryString = q < 0 ? "" : t.substring(q + 1);
        int hash = queryString.indexOf('#');
        if (hash >= 0) {
            queryString = queryString.substring(0, hash);
        }
        int pathHash = rawPath.indexOf('#');
        if (pathHash >= 0) {
            rawPath = rawPath.substring(0, pathHash);
        }
    }

    @Override
    public String rawPath() {
        splitTarget();
        return rawPath;
    }

    @Override
    public String path() {
        if (path == null) {
            path = Params.decode(rawPath(), false, UTF_8);
        }
        return path;
    }

    @Override
    public String queryString() {
        splitTarget();
        return queryString;
    }

    @Override
    public Params query() {
        if (query == null) {
            query = Params.parse(queryString());
        }
        return query;
    }

    @Override
    public Headers headers() {
        return head.headers();
    }

    @Override
    public Map<String, String> cookies() {
        if (cookies == null) {
            String all = String.join("; ", head.headers().getAll("Cookie"));
            cookies = Collections.unmodifiableMap(Cookie.parseCookieHeader(all.isEmpty() ? null : all));
        }
        return cookies;
    }

    @Override
    public String host() {
        String t = head.target();
        int scheme = t.indexOf("://");
        if (scheme > 0 && !t.startsWith("/")) {
            int end = t.indexOf('/', scheme + 3);
            return t.substring(scheme + 3, end < 0 ? t.length() : end);
        }
        String h = head.headers().get("Host");
        if (h != null && !h.isEmpty()) {
            return h;
        }
        Object local = transportInfo(ExtraInfo.SOCKNAME);
        if (local instanceof InetSocketAddress isa) {
            return isa.getHostString() + ":" + isa.getPort();
        }
        return "localhost";
    }

    @Override
    public String scheme() {
        return exchange.conn.isTls() ? "https" : "http";
    }

    @Override
    public String remote() {
        Object peer = transportInfo(ExtraInfo.PEERNAME);
        if (peer instanceof InetSocketAddress isa) {
            return isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
        }
        return peer instanceof SocketAddress sa ? sa.toString() : "";
    }

    @Override
    public <T> T transportInfo(ExtraInfo<T> key) {
        return exchange.conn.transport().getExtraInfo(key);
    }

    @Override
    public Map<String, String> matchInfo() {
        return matchInfo;
    }

    @Override
    public Optional<Route> route() {
        return Optional.ofNullable(route);
    }

    @Override
    public Application app() {
        return app;
    }

    @Override
    public <T> T config(StateKey<T> key) {
        for (int i = appChain.size() - 1; i >= 0; i--) {
            Optional<T> v = appChain.get(i).find(key);
            if (v.isPresent()) {
                return v.get();
            }
        }
        throw new NoSuchElementException("no application has " + key);
    }

    @Override
    public <T> Optional<T> get(StateKey<T> key) {
        if (state == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(key.type().cast(state.get(key)));
    }

    @Override
    public <T> void set(StateKey<T> key, T value) {
        if (state == null) {
            state = new IdentityHashMap<>();
        }
        state.put(key, key.type().cast(value));
    }

    // ------------------------------------------------------------------ body

    @Override
    public long contentLength() {
        return head.contentLength();
    }

    @Override
    public Optional<MediaType> contentType() {
        return MediaType.tryParse(head.headers().get("Content-Type"));
    }

    @Override
    public Optional<Charset> charset() {
        return contentType().flatMap(MediaType::charset);
    }

    @Override
    public boolean hasBody() {
        return head.hasBody();
    }

    @Override
    public boolean keepAlive() {
        return head.keepAlive();
    }

    @Override
    public long clientMaxSize() {
        return clientMaxSize;
    }

    @Override
    public void setClientMaxSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a negative size: " + bytes);
        }
        exchange.setBodyLimit(bytes);
        clientMaxSize = bytes;
    }

    /**
     * Sets the application's limit before the handler runs.
     *
     * @param bytes the limit
     */
    public void setDefaultClientMaxSize(long bytes) {
        if (exchange.body == null || !exchange.body.started()) {
            clientMaxSize = bytes;
            exchange.setBodyLimit(bytes);
        }
    }

    @Override
    public BodyReader content() {
        return exchange.body != null ? exchange.body : NO_BODY;
    }

    @Override
    public byte[] read() throws IOException {
        if (exchange.body == null) {
            return new byte[0];
        }
        if (head.contentLength() > clientMaxSize) {
            throw HttpException.contentTooLarge(clientMaxSize);
        }
        return exchange.body.readAll();
    }

    @Override
    public String text() throws IOException {
        return new String(read(), charset().orElse(UTF_8));
    }

    @Override
    public <T> T json(Class<T> type) throws IOException {
        byte[] body = read();
        try {
            return jsonCodec().decode(body, type);
        } catch (IllegalArgumentException e) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "400: the body is not valid JSON for "
                    + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private io.asyncio4j.http.JsonCodec jsonCodec() {
        return app != null ? app.jsonCodec() : io.asyncio4j.http.JsonCodec.defaultCodec();
    }

    @Override
    public FormData post() throws IOException {
        if (bodyTaken) {
            throw new IllegalStateException("the body was read as a form already");
        }
        Optional<MediaType> type = contentType();
        if (type.isPresent() && type.get().is(MediaType.FORM_URLENCODED)) {
            bodyTaken = true;
            return new FormData(Params.parse(new String(read(), java.nio.charset.StandardCharsets.ISO_8859_1),
                    charset().orElse(UTF_8)), List.of());
        }
        if (type.isPresent() && type.get().is(MediaType.MULTIPART_FORM_DATA)) {
            bodyTaken = true;
            return Multipart.readForm(multipart(), clientMaxSize);
        }
        return new FormData(Params.empty(), List.of());
    }

    @Override
    public MultipartReader multipart() {
        MediaType type = contentType().orElseThrow(() -> HttpException.badRequest("400: not a multipart body (no "
                + "Content-Type)"));
        if (!type.type().equals("multipart")) {
            throw HttpException.badRequest("400: not a multipart body: " + type);
        }
        String boundary = type.parameter("boundary").orElseThrow(() -> HttpException.badRequest(
                "400: a multipart Content-Type without a boundary"));
        if (boundary.isEmpty() || boundary.length() > 70) {
            throw HttpException.badRequest("400: a multipart boundary must have 1 to 70 characters");
        }
        return new Multipart(content(), boundary);
    }

    @Override
    public String toString() {
        return "<Request " + head.method() + " " + head.target() + " >";
    }

    /** The body of a request without one. */
    private static final class EmptyBody implements BodyReader {
        private static final byte[] NONE = {};

        @Override
        public byte[] readAny() {
            return NONE;
        }

        @Override
        public byte[] read(int n) {
            return NONE;
        }

        @Override
        public byte[] readExactly(int n) throws IOException {
            if (n == 0) {
                return NONE;
            }
            throw new java.io.EOFException("the request has no body");
        }

        @Override
        public byte[] readLine() {
            return NONE;
        }

        @Override
        public int readInto(java.nio.ByteBuffer dst) {
            return -1;
        }

        @Override
        public boolean atEof() {
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        public java.util.Iterator<byte[]> iterator() {
            return Collections.emptyIterator();
        }
    }
}
