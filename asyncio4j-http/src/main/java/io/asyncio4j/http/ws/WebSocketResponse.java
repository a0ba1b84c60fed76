package io.asyncio4j.http.ws;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.internal.server.RequestImpl;
import io.asyncio4j.http.internal.server.UpgradeHandler;
import io.asyncio4j.http.internal.server.UpgradedStream;
import io.asyncio4j.http.internal.ws.WsServerHandshake;
import io.asyncio4j.http.internal.ws.WsSession;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.http.server.Request;
import io.asyncio4j.http.server.StreamResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;

/**
 * The server's side of a WebSocket: aiohttp's {@code web.WebSocketResponse}. A handler makes
 * one, {@link #prepare prepares} it with the request (the handshake: a 101 and the connection
 * handed over), uses it as a {@link WebSocket}, and returns it.
 *
 * {@snippet :
 * app.router().addGet("/ws", request -> {
 *     WebSocketResponse ws = new WebSocketResponse();
 *     ws.prepare(request);
 *     for (WsMessage m : ws) {
 *         if (m instanceof WsMessage.Text t) {
 *             ws.sendText(t.data().toUpperCase());
 *         }
 *     }
 *     return ws;                              // closed with 1000 if the handler left it open
 * });
 * }
 *
 * <p>Unlike aiohttp, a server that shuts down gracefully sends {@code 1001} (going away) to
 * every open WebSocket and waits, within its shutdown timeout, for their handlers to see the
 * {@link WsMessage.Close} and return. A request timeout set on the server
 * ({@code ServerSettings.requestTimeout}) bounds the handler, hence the WebSocket's life, too.
 */
public class WebSocketResponse extends StreamResponse implements WebSocket {
    private final WsOptions options;
    private WsSession session;

    /** Makes a WebSocket response with the default options (compression on, as aiohttp). */
    public WebSocketResponse() {
        this(WsOptions.defaults());
    }

    /**
     * Makes a WebSocket response.
     *
     * @param options the options
     */
    public WebSocketResponse(WsOptions options) {
        this.options = options;
    }

    /**
     * {@return whether a request is a WebSocket handshake this response would accept}
     * (aiohttp's {@code can_prepare}). Never suspends.
     *
     * @param request the request
     */
    public boolean canPrepare(Request request) {
        try {
            WsServerHandshake.check(request, options);
            return true;
        } catch (HttpException e) {
            return false;
        }
    }

    /**
     * Performs the handshake: checks the request, answers {@code 101 Switching Protocols} (with
     * the chosen subprotocol and permessage-deflate) and takes the connection over. Idempotent.
     * Never suspends.
     *
     * @param request the request
     * @throws HttpException if the request is not a valid handshake: 405 (not GET), 400 (fields
     *     missing or malformed), 426 (another version), 403 (an origin not allowed)
     * @throws IOException if the client disconnected
     */
    @Override
    public void prepare(Request request) throws IOException {
        if (session != null) {
            return;
        }
        if (!(request instanceof RequestImpl r)) {
            throw new IllegalArgumentException("not a request of this server: " + request);
        }
        WsServerHandshake.Result hs = WsServerHandshake.check(request, options);
        WsSession s = new WsSession(Asyncio.getRunningLoop(), false, options, hs.deflate(), hs.protocol());
        UpgradeHandler handler = new UpgradeHandler() {
            @Override
            public void dataReceived(ByteBuffer in) {
                s.onData(in);
            }

            @Override
            public boolean eofReceived() {
                s.onEof();
                return false;
            }

            @Override
            public void connectionLost(Throwable error) {
                s.onLost(error);
            }

            @Override
            public void shutdown() {
                s.goingAway();
            }
        };
        UpgradedStream stream;
        try {
            stream = r.exchange().upgrade(hs.headers(), handler);
        } catch (IOException | RuntimeException e) {
            // the client left before the 101: the session ends here, and its compressor's native
            // memory (zlib's) with it, not when a collection gets to run its Cleaner
            s.onLost(e);
            throw e;
        }
        s.start(new WsSession.Io() {
            @Override
            public void write(byte[] data) throws IOException {
                stream.write(data);
            }

            @Override
            public void drain() throws IOException {
                stream.drain();
            }

            @Override
            public void pauseReading() {
                stream.pauseReading();
            }

            @Override
            public void resumeReading() {
                stream.resumeReading();
            }

            @Override
            public void close() {
                stream.close();
            }

            @Override
            public void abort() {
                stream.abort();
            }
        });
        session = s;
    }

    private WsSession session() {
        if (session == null) {
            throw new IllegalStateException("prepare(request) the WebSocketResponse first");
        }
        return session;
    }

    @Override
    public boolean isPrepared() {
        return session != null;
    }

    @Override
    public boolean isEofSent() {
        return session != null && session.isClosed();
    }

    /** Closes the WebSocket with 1000 if open: the server's end of the handler. Suspends as {@link #close()}. */
    @Override
    public void writeEof() {
        if (session != null && !session.isClosed()) {
            session.close();
        }
    }

    /**
     * Not for WebSockets: use {@link #sendBinary}.
     *
     * @param data ignored
     * @throws UnsupportedOperationException always
     */
    @Override
    public void write(byte[] data) {
        throw new UnsupportedOperationException("a WebSocketResponse sends messages: use sendText or sendBinary");
    }

    /**
     * Not for WebSockets: use {@link #sendBinary}.
     *
     * @param data ignored
     * @throws UnsupportedOperationException always
     */
    @Override
    public void write(ByteBuffer data) {
        throw new UnsupportedOperationException("a WebSocketResponse sends messages: use sendText or sendBinary");
    }

    @Override
    public WsMessage receive() {
        return session().receive();
    }

    @Override
    public WsMessage receive(Duration timeout) {
        return session().receive(timeout);
    }

    @Override
    public String receiveText() throws WsClosedException {
        return session().receiveText();
    }

    @Override
    public byte[] receiveBytes() throws WsClosedException {
        return session().receiveBytes();
    }

    @Override
    public <T> T receiveJson(Class<T> type) throws WsClosedException {
        return session().receiveJson(type);
    }

    @Override
    public Iterator<WsMessage> iterator() {
        return session().iterator();
    }

    @Override
    public void sendText(String text) throws IOException {
        session().sendText(text);
    }

    @Override
    public void sendBinary(byte[] data) throws IOException {
        session().sendBinary(data);
    }

    @Override
    public void sendJson(Object value) throws IOException {
        session().sendJson(value);
    }

    @Override
    public MessageWriter openMessage(boolean binary) throws IOException {
        return session().openMessage(binary);
    }

    @Override
    public void ping() throws IOException {
        session().ping();
    }

    @Override
    public void ping(byte[] payload) throws IOException {
        session().ping(payload);
    }

    @Override
    public void pong(byte[] payload) throws IOException {
        session().pong(payload);
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }

    @Override
    public void close(int code, String reason) {
        session().close(code, reason);
    }

    @Override
    public int closeCode() {
        return session == null ? -1 : session.closeCode();
    }

    @Override
    public String closeReason() {
        return session == null ? null : session.closeReason();
    }

    @Override
    public boolean isClosing() {
        return session != null && session.isClosing();
    }

    @Override
    public boolean isClosed() {
        return session != null && session.isClosed();
    }

    @Override
    public String protocol() {
        return session == null ? null : session.protocol();
    }

    @Override
    public boolean compressed() {
        return session != null && session.compressed();
    }

    @Override
    public Throwable exception() {
        return session == null ? null : session.exception();
    }
}
