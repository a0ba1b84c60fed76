package io.asyncio4j.http.internal.ws;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.internal.h1.H1Limits;
import io.asyncio4j.http.internal.h1.H1Parser;
import io.asyncio4j.http.internal.h1.MessageHead;
import io.asyncio4j.http.ws.WebSocket;
import io.asyncio4j.http.ws.WsHandshakeException;
import io.asyncio4j.http.ws.WsOptions;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.ConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;

/*
 * Implementation overview
 *
 * The client's side: a TCP (or TLS) connection through the core's Streams, the opening
 * handshake written by hand and its answer read with the HTTP codec's response parser (which
 * stops at a 101 and leaves the rest: frames the server may have sent right after it), then a
 * WsSession whose input is fed by a reader task of its own, so that pings are answered and the
 * heartbeat runs whether or not the application reads. The reader task ends with the connection;
 * WebSocket.close() waits for it, so that no task outlives a closed WebSocket.
 */

/** Opens client WebSockets: the handshake and the reader task. */
public final class WsClientHandshake {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BODY_START = 512;

    private WsClientHandshake() {
    }

    /** Opens the connection a handshake runs on (a seam for ClientSession.wsConnect's proxy tunnel). */
    @FunctionalInterface
    public interface Dialer {
        /**
         * Opens a connection. Suspends; checks for cancellation.
         *
         * @param host the host (an IPv6 literal without brackets)
         * @param port the port
         * @param options the options: TLS with the host's name for a wss:// URL
         * @return the connection, after its TLS handshake
         * @throws IOException if it fails
         */
        Streams.Connection open(String host, int port, ConnectOptions options) throws IOException;
    }

    /**
     * Connects. Suspends; checks for cancellation.
     *
     * @param url the ws:// or wss:// URL
     * @param options the options
     * @return the open WebSocket
     * @throws IOException if the connection or the handshake fails
     */
    public static WebSocket connect(String url, WsOptions options) throws IOException {
        return connect(url, options, Streams::openConnection);
    }

    /**
     * Connects over a connection the dialer opens. Suspends; checks for cancellation.
     *
     * @param url the ws:// or wss:// URL
     * @param options the options
     * @param dialer opens the connection
     * @return the open WebSocket
     * @throws IOException if the connection or the handshake fails
     */
    public static WebSocket connect(String url, WsOptions options, Dialer dialer) throws IOException {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean tls = switch (scheme) {
            case "ws" -> false;
            case "wss" -> true;
            default -> throw new IllegalArgumentException("a WebSocket URL is ws:// or wss://, not " + url);
        };
        String host = u.getHost();
        if (host == null) {
            throw new IllegalArgumentException("a WebSocket URL needs a host: " + url);
        }
        if (u.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URL has no fragment (RFC 6455 §3): " + url);
        }
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = u.getPort() >= 0 ? u.getPort() : tls ? 443 : 80;
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) {
            path += "?" + u.getRawQuery();
        }
        ConnectOptions co = ConnectOptions.defaults();
        if (tls) {
            SSLContext ctx = options.ssl();
            if (ctx == null) {
                try {
                    ctx = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IOException("no default TLS context", e);
                }
            }
            co = co.withSsl(ctx).withServerHostname(bareHost).withAlpnProtocols(List.of("http/1.1"));
        }
        Streams.Connection c = dialer.open(bareHost, port, co);
        boolean ok = false;
        try {
            WebSocket ws = handshake(c, host, port, tls, path, options);
            ok = true;
            return ws;
        } finally {
            if (!ok) {
                c.writer().transport().abort();
            }
        }
    }

    private static WebSocket handshake(Streams.Connection c, String host, int port, boolean tls, String path,
                                       WsOptions options) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        StringBuilder req = new StringBuilder(256);
        req.append("GET ").append(path).append(" HTTP/1.1\r\n");
        boolean defaultPort = port == (tls ? 443 : 80);
        req.append("Host: ").append(host).append(defaultPort ? "" : ":" + port).append("\r\n");
        req.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
        req.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        req.append("Sec-WebSocket-Version: 13\r\n");
        if (!options.protocols().isEmpty()) {
            req.append("Sec-WebSocket-Protocol: ").append(String.join(", ", options.protocols())).append("\r\n");
        }
        if (options.compress()) {
            req.append("Sec-WebSocket-Extensions: ").append(PerMessageDeflate.clientOffer(options.noContextTakeover()))
                    .append("\r\n");
        }
        if (options.origin() != null) {
            Headers.checkValue("Origin", options.origin());
            req.append("Origin: ").append(options.origin()).append("\r\n");
        }
        Headers extra = options.headers();
        for (int i = 0; i < extra.size(); i++) {
            req.append(extra.name(i)).append(": ").append(extra.value(i)).append("\r\n");
        }
        req.append("\r\n");
        StreamWriter w = c.writer();
        StreamReader r = c.reader();
        w.write(req.toString().getBytes(UTF_8));
        w.drain();

        H1Parser parser = H1Parser.forResponses(H1Limits.DEFAULTS);
        ByteBuffer buf = ByteBuffer.allocate(0);
        MessageHead head;
        try {
            while (true) {
                H1Parser.Event e = parser.next(buf);
                if (e == H1Parser.Event.HEAD) {
                    head = parser.head();
                    if (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
                        continue; // an interim answer
                    }
                    break;
                }
                byte[] more = r.read(16 * 1024);
                if (more.length == 0) {
                    throw new WsHandshakeException(0, new Headers(), "", "the server closed the connection during the "
                            + "WebSocket handshake");
                }
                buf = append(buf, more);
            }
        } catch (HttpParseException e) {
            throw new WsHandshakeException(0, new Headers(), "", "the server's answer to the WebSocket handshake is "
                    + "not HTTP: " + e.getMessage());
        }
        Headers h = head.headers();
        if (head.status() != 101) {
            throw new WsHandshakeException(head.status(), h, bodyStart(parser, buf, r),
                    "the server refused the WebSocket handshake");
        }
        if (!h.containsToken("Upgrade", "websocket")) {
            throw new WsHandshakeException(101, h, "", "the server's 101 lacks 'Upgrade: websocket'");
        }
        if (!h.containsToken("Connection", "upgrade")) {
            throw new WsHandshakeException(101, h, "", "the server's 101 lacks 'Connection: Upgrade'");
        }
        String accept = h.get("Sec-WebSocket-Accept");
        if (accept == null || !accept.strip().equals(Frames.acceptFor(key))) {
            throw new WsHandshakeException(101, h, "", "the server's Sec-WebSocket-Accept is wrong: " + accept);
        }
        String protocol = h.get("Sec-WebSocket-Protocol");
        if (protocol != null) {
            protocol = protocol.strip();
            if (!options.protocols().contains(protocol)) {
                throw new WsHandshakeException(101, h, "", "the server chose a subprotocol that was not offered: "
                        + protocol);
            }
        }
        PerMessageDeflate.Params deflate;
        List<String> ext = h.getAll("Sec-WebSocket-Extensions");
        try {
            deflate = PerMessageDeflate.negotiateClient(ext, options.noContextTakeover());
        } catch (IllegalArgumentException e) {
            throw new WsHandshakeException(101, h, "", e.getMessage());
        }
        if (deflate != null && !options.compress()) {
            throw new WsHandshakeException(101, h, "", "the server accepted permessage-deflate, which was not offered");
        }
        EventLoop loop = Asyncio.getRunningLoop();
        WsSession s = new WsSession(loop, true, options, deflate, protocol);
        ClientIo io = new ClientIo(loop, w);
        s.start(io);
        ByteBuffer leftover = buf;
        io.reader = Asyncio.createTask("websocket reader " + host + ":" + port, () -> readLoop(s, io, r, leftover));
        return s;
    }

    private static ByteBuffer append(ByteBuffer buf, byte[] more) {
        if (!buf.hasRemaining()) {
            return ByteBuffer.wrap(more);
        }
        ByteBuffer b = ByteBuffer.allocate(buf.remaining() + more.length);
        b.put(buf).put(more).flip();
        return b;
    }

    /** The start of a refusal's body: what the parser has and what arrives within a second, up to 512 bytes. */
    private static String bodyStart(H1Parser parser, ByteBuffer buf, StreamReader r) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        try {
            Asyncio.moveOnAfter(Duration.ofSeconds(1), scope -> {
                ByteBuffer b = buf;
                while (body.size() < BODY_START) {
                    H1Parser.Event e = parser.next(b);
                    if (e == H1Parser.Event.BODY) {
                        ByteBuffer piece = parser.body();
                        byte[] a = new byte[Math.min(piece.remaining(), BODY_START - body.size())];
                        piece.get(a);
                        body.write(a, 0, a.length);
                    } else if (e == H1Parser.Event.END) {
                        return;
                    } else {
                        byte[] more = r.read(4096);
                        if (more.length == 0) {
                            parser.eof();
                        }
                        b = append(b, more);
                    }
                }
            });
        } catch (Exception e) {
            // the start of the body is a courtesy: what was read so far is shown
        }
        return new String(body.toByteArray(), UTF_8).strip();
    }

    private static void readLoop(WsSession s, ClientIo io, StreamReader r, ByteBuffer leftover) {
        ByteBuffer buf = leftover;
        try {
            if (buf.hasRemaining()) {
                s.onData(buf);
            }
            while (!s.isClosed()) {
                io.awaitReading();
                byte[] more = r.read(64 * 1024);
                if (more.length == 0) {
                    s.onEof();
                    break;
                }
                buf = append(buf, more);
                s.onData(buf);
            }
        } catch (CancelledError e) {
            s.onLost(null);
            throw e;
        } catch (IOException e) {
            s.onLost(e);
        }
    }

    /** The client's transport: the stream writer, and a gate on the reader task for backpressure. */
    private static final class ClientIo implements WsSession.Io {
        private final EventLoop loop;
        private final StreamWriter w;
        Task<Void> reader;
        private boolean paused;
        private Future<Void> resumed;

        ClientIo(EventLoop loop, StreamWriter w) {
            this.loop = loop;
            this.w = w;
        }

        void awaitReading() {
            while (paused) {
                if (resumed == null) {
                    resumed = loop.createFuture();
                }
                Asyncio.await(resumed);
            }
        }

        @Override
        public void write(byte[] data) throws IOException {
            if (w.isClosing()) {
                throw new java.net.SocketException("the WebSocket's connection is closed");
            }
            w.write(data);
        }

        @Override
        public void drain() throws IOException {
            w.drain();
        }

        @Override
        public void pauseReading() {
            paused = true;
        }

        @Override
        public void resumeReading() {
            paused = false;
            Future<Void> f = resumed;
            resumed = null;
            if (f != null && !f.isDone()) {
                f.setResult(null);
            }
        }

        @Override
        public void close() {
            resumeReading();
            w.close();
        }

        @Override
        public void abort() {
            resumeReading();
            w.transport().abort();
        }

        @Override
        public void awaitClosed() {
            Task<Void> t = reader;
            if (t != null && !t.isDone() && Asyncio.currentTask() != t) {
                try {
                    Asyncio.await(Asyncio.shield(t));
                } catch (RuntimeException e) {
                    // the reader reports through the session
                }
            }
            try {
                w.waitClosed();
            } catch (IOException e) {
                // the connection's error was reported to the session
            }
        }
    }
}
