package io.asyncio4j.http.internal.ws;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.http.ws.WebSocket;
import io.asyncio4j.http.ws.WsClosedException;
import io.asyncio4j.http.ws.WsMessage;
import io.asyncio4j.http.ws.WsOptions;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/*
 * Implementation overview
 *
 * The protocol engine of one WebSocket, shared by the server (fed from the HTTP connection's
 * read callbacks after the 101) and the client (fed by a reader task over the core's streams).
 * Everything runs on the connection's loop thread; no locks.
 *
 * Input: onData() runs the FrameDecoder, whose events land here: data messages go to `inbox`
 * (a waiting receiver is woken through its future), pings are answered at once with a pong
 * written straight to the transport (so a peer's ping is answered even when nobody reads), any
 * frame counts as a sign of life for the heartbeat, and the peer's close is answered (if we had
 * not sent ours) and ends the session. When `inbox` holds maxQueue messages the transport stops
 * reading; receive() resumes it below half.
 *
 * States:   OPEN --close() or shutdown()--> CLOSING (our close sent, waiting for the peer's)
 *           OPEN --peer's close--> CLOSED (answered)      CLOSING --peer's close--> CLOSED
 *           any --protocol error--> CLOSED (close 1002/1007/1009 sent, connection closed)
 *           any --EOF, loss, close timeout, heartbeat timeout--> CLOSED with 1006
 * Reaching CLOSED puts the terminal Close message at the end of `inbox`, closes the transport
 * (the server closes TCP first, RFC 6455 §7.1.1) and ends the heartbeat.
 *
 * Output: each message is encoded (compressed if negotiated) and written in one transport
 * write, then drain() waits on the high-water mark; a message streamed in fragments sets
 * `streaming` so that other data messages wait for it (control frames may go between fragments).
 */

/** The engine of a WebSocket connection (both sides). */
public final class WsSession implements WebSocket, FrameDecoder.Handler {
    /** The transport below a session. */
    public interface Io {
        /**
         * Writes bytes. Never suspends.
         *
         * @param data the bytes
         * @throws IOException if the connection is gone
         */
        void write(byte[] data) throws IOException;

        /**
         * Waits while the transport is above its high-water mark. Suspends.
         *
         * @throws IOException if the connection is lost
         */
        void drain() throws IOException;

        /** Stops reading. */
        void pauseReading();

        /** Reads again. */
        void resumeReading();

        /** Closes once what was written is sent. */
        void close();

        /** Drops the connection. */
        void abort();

        /** Waits until the connection is closed and its reader is done (the client's reader task). Suspends. */
        default void awaitClosed() {
        }
    }

    private final EventLoop loop;
    private final boolean client;
    private final WsOptions options;
    private final FrameDecoder decoder;
    private final PerMessageDeflate deflate;
    private final String protocol;
    private final MaskSource masks;
    private Io io;

    private final ArrayDeque<WsMessage> inbox = new ArrayDeque<>();
    private Future<Void> receiver;
    private boolean readingPaused;

    private boolean closeSent;
    /** A protocol violation was found; the connection fails in the next loop turn. */
    private boolean failing;
    /** The peer's close arrived behind unread messages: it is answered when receive() reaches it. */
    private boolean peerClosed;
    private boolean closed;
    private WsMessage.Close terminal;
    private int closeCode = -1;
    private String closeReason;
    private Throwable exception;
    private Future<Void> closeDone;
    private TimerHandle closeTimer;

    private TimerHandle heartbeatTimer;
    private TimerHandle pongTimer;
    private boolean streaming;
    private Future<Void> streamDone;

    /**
     * Makes a session; {@link #start} attaches its transport.
     *
     * @param loop the connection's loop
     * @param client whether this is the client's side (masks, expects unmasked frames)
     * @param options the options
     * @param deflate the negotiated parameters, or {@code null}
     * @param protocol the negotiated subprotocol, or {@code null}
     */
    public WsSession(EventLoop loop, boolean client, WsOptions options, PerMessageDeflate.Params deflate,
                     String protocol) {
        this.loop = loop;
        this.client = client;
        this.options = options;
        this.deflate = deflate == null ? null : new PerMessageDeflate(deflate, !client, options.compressionLevel());
        this.decoder = new FrameDecoder(!client, options.maxMessageSize(), this.deflate);
        this.protocol = protocol;
        this.masks = client ? new MaskSource() : null;
    }

    /**
     * Attaches the transport and starts the heartbeat.
     *
     * @param io the transport
     */
    public void start(Io io) {
        this.io = io;
        scheduleHeartbeat();
    }

    // ------------------------------------------------------------------ input (loop callbacks)

    /**
     * Decodes received bytes (consumed from the buffer; an incomplete header stays). Never suspends.
     *
     * @param in the bytes
     */
    public void onData(ByteBuffer in) {
        if (closed) {
            in.position(in.limit());
            return;
        }
        if (failing) {
            in.position(in.limit());
            return;
        }
        alive();
        try {
            decoder.feed(in, this);
        } catch (WsProtocolException e) {
            Throwable error = new WsClosedException(e.closeCode(), "the peer broke the WebSocket protocol: "
                    + e.getMessage());
            in.position(in.limit());
            if (inbox.isEmpty()) {
                fail(e.closeCode(), e.getMessage(), error);
            } else {
                // messages that came before the violation were woken first: their handler's answers go out
                // before the close (the order Autobahn calls strict), one loop turn later
                failing = true;
                loop.callSoon(() -> fail(e.closeCode(), e.getMessage(), error));
            }
        }
        if (decoder.closed()) {
            in.position(in.limit()); // nothing after a close frame is read
        }
    }

    /** The peer shut its sending side (or the connection ended): the session ends with 1006 if not closed. */
    public void onEof() {
        if (!closed) {
            finish(1006, "", closeSent ? null : new SocketException("the connection ended without a close frame"));
        }
    }

    /**
     * The connection is gone.
     *
     * @param error its error, or {@code null}
     */
    public void onLost(Throwable error) {
        if (!closed) {
            finish(1006, "", error != null ? error : closeSent ? null
                    : new SocketException("the connection ended without a close frame"));
        }
        failWaiters();
    }

    /** The server shuts down: sends close 1001 and waits (on a timer) for the answer. Never suspends. */
    public void goingAway() {
        if (closed || closeSent) {
            return;
        }
        if (peerClosed) {
            answerPeerClose(terminal.code(), terminal.reason());
            return;
        }
        sendCloseFrame(1001, "server shutdown");
        armCloseTimer();
    }

    @Override
    public void messageReceived(boolean text, byte[] data) {
        if (closeSent) {
            return; // closing: what arrives before the peer's close is dropped (aiohttp too)
        }
        enqueue(text ? new WsMessage.Text(new String(data, UTF_8)) : new WsMessage.Binary(data));
    }

    @Override
    public void pingReceived(byte[] payload) {
        if (!closeSent) {
            writeControl(Frames.PONG, payload);
            if (options.deliverPings()) {
                enqueue(new WsMessage.Ping(payload));
            }
        }
    }

    @Override
    public void pongReceived(byte[] payload) {
        if (options.deliverPings() && !closeSent) {
            enqueue(new WsMessage.Pong(payload));
        }
    }

    @Override
    public void closeReceived(int code, String reason) {
        if (closeSent || inbox.isEmpty()) {
            answerPeerClose(code, reason);
            return;
        }
        // messages are still unread: the application may answer them before it sees the close
        // (as aiohttp answers a close when receive() reaches it); the close is answered then, or
        // after the close timeout if nobody reads
        peerClosed = true;
        terminal = new WsMessage.Close(code, reason);
        inbox.add(terminal);
        wakeReceiver();
        closeTimer = loop.callLater(options.closeTimeout(), () -> {
            closeTimer = null;
            answerPeerClose(code, reason);
        });
    }

    private void answerPeerClose(int code, String reason) {
        if (closed) {
            return;
        }
        if (!closeSent) {
            // answer with the same code (RFC 6455 §5.5.1); a close with no code is answered with none
            sendCloseFrame(code, "");
        }
        finish(code, reason, null);
    }

    private void enqueue(WsMessage m) {
        inbox.add(m);
        wakeReceiver();
        if (!readingPaused && inbox.size() >= options.maxQueue()) {
            readingPaused = true;
            io.pauseReading();
        }
    }

    private void wakeReceiver() {
        Future<Void> r = receiver;
        if (r != null) {
            receiver = null;
            if (!r.isDone()) {
                r.setResult(null);
            }
        }
    }

    // ------------------------------------------------------------------ ending

    /** Fails the connection (RFC 6455 §7.1.7): sends close with the code, closes the transport. */
    private void fail(int code, String reason, Throwable error) {
        if (closed) {
            return;
        }
        if (!closeSent) {
            sendCloseFrame(code, truncate(reason));
        }
        finish(code, reason, error);
    }

    private static String truncate(String reason) {
        byte[] b = reason.getBytes(UTF_8);
        if (b.length <= 123) {
            return reason;
        }
        // cut on a character boundary
        int n = reason.length();
        while (reason.substring(0, n).getBytes(UTF_8).length > 120) {
            n--;
        }
        return reason.substring(0, n) + "...";
    }

    private void finish(int code, String reason, Throwable error) {
        if (closed) {
            return;
        }
        closed = true;
        closeSent = true;
        closeCode = code;
        closeReason = reason;
        if (error != null && exception == null) {
            exception = error;
        }
        if (terminal == null) {
            terminal = new WsMessage.Close(code, reason);
            inbox.add(terminal);
        }
        cancelTimers();
        if (deflate != null) {
            deflate.close();
        }
        if (io != null) {
            io.close();
        }
        wakeReceiver();
        Future<Void> c = closeDone;
        if (c != null && !c.isDone()) {
            c.setResult(null);
        }
        Future<Void> s = streamDone;
        if (s != null && !s.isDone()) {
            s.setResult(null);
        }
    }

    private void failWaiters() {
        wakeReceiver();
    }

    private void cancelTimers() {
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
            heartbeatTimer = null;
        }
        if (pongTimer != null) {
            pongTimer.cancel();
            pongTimer = null;
        }
        if (closeTimer != null) {
            closeTimer.cancel();
            closeTimer = null;
        }
    }

    private void armCloseTimer() {
        if (closeTimer == null && !closed) {
            closeTimer = loop.callLater(options.closeTimeout(), () -> {
                closeTimer = null;
                if (!closed) {
                    Throwable e = new io.asyncio4j.TimeoutError("the peer did not answer the close frame within "
                            + options.closeTimeout());
                    finish(1006, "", e);
                    io.abort();
                }
            });
        }
    }

    // ------------------------------------------------------------------ heartbeat

    private void scheduleHeartbeat() {
        Duration hb = options.heartbeat();
        if (hb == null || closed) {
            return;
        }
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
        }
        heartbeatTimer = loop.callLater(hb, this::sendHeartbeat);
    }

    private void sendHeartbeat() {
        heartbeatTimer = null;
        if (closed || closeSent) {
            return;
        }
        writeControl(Frames.PING, new byte[0]);
        if (pongTimer == null) {
            Duration wait = options.heartbeat().dividedBy(2);
            pongTimer = loop.callLater(wait, () -> {
                pongTimer = null;
                if (!closed) {
                    Throwable e = new io.asyncio4j.TimeoutError("no pong (or any frame) came within " + wait
                            + " of a heartbeat ping");
                    finish(1006, "", e);
                    io.abort();
                }
            });
        }
    }

    /** Any frame from the peer shows the connection is alive (aiohttp 3.10 resets its heartbeat on any data). */
    private void alive() {
        if (options.heartbeat() == null) {
            return;
        }
        if (pongTimer != null) {
            pongTimer.cancel();
            pongTimer = null;
        }
        scheduleHeartbeat();
    }

    // ------------------------------------------------------------------ output

    private void writeControl(int opcode, byte[] payload) {
        try {
            io.write(frame(opcode, true, false, payload, 0, payload.length));
        } catch (IOException e) {
            // the connection is gone: its loss is reported through onLost
        }
    }

    private void sendCloseFrame(int code, String reason) {
        closeSent = true;
        byte[] p = Frames.closePayload(code, reason);
        writeControl(Frames.CLOSE, p);
    }

    private byte[] frame(int opcode, boolean fin, boolean rsv1, byte[] p, int off, int len) {
        return Frames.encode(opcode, fin, rsv1, p, off, len, client, client ? masks.next() : 0);
    }

    private void checkSendable() throws WsClosedException {
        if (closeSent || closed) {
            throw new WsClosedException(closeCode, closed ? "the WebSocket is closed (code " + closeCode + ")"
                    : "the WebSocket is closing");
        }
    }

    private void sendData(int opcode, byte[] data) throws IOException {
        checkSendable();
        while (streaming) {
            Future<Void> f = streamDone;
            Asyncio.await(f);
            checkSendable();
        }
        byte[] f;
        if (deflate != null) {
            byte[] c = deflate.deflate(data, 0, data.length);
            f = frame(opcode, true, true, c, 0, c.length);
        } else {
            f = frame(opcode, true, false, data, 0, data.length);
        }
        io.write(f);
        io.drain();
    }

    @Override
    public void sendText(String text) throws IOException {
        sendData(Frames.TEXT, text.getBytes(UTF_8));
    }

    @Override
    public void sendBinary(byte[] data) throws IOException {
        sendData(Frames.BINARY, data);
    }

    @Override
    public void sendJson(Object value) throws IOException {
        sendData(Frames.TEXT, JsonCodec.defaultCodec().encode(value));
    }

    @Override
    public MessageWriter openMessage(boolean binary) throws IOException {
        checkSendable();
        while (streaming) {
            Asyncio.await(streamDone);
            checkSendable();
        }
        streaming = true;
        streamDone = loop.createFuture();
        return new MessageWriter() {
            private boolean first = true;
            private boolean ended;

            @Override
            public void write(byte[] data) throws IOException {
                if (ended) {
                    throw new IllegalStateException("the streamed message was closed");
                }
                fragment(data, false);
            }

            private void fragment(byte[] data, boolean fin) throws IOException {
                if (closed) {
                    throw new WsClosedException(closeCode, "the WebSocket is closed (code " + closeCode + ")");
                }
                int op = first ? (binary ? Frames.BINARY : Frames.TEXT) : Frames.CONTINUATION;
                first = false;
                io.write(frame(op, fin, false, data, 0, data.length));
                io.drain();
            }

            @Override
            public void close() throws IOException {
                if (ended) {
                    return;
                }
                ended = true;
                try {
                    fragment(new byte[0], true);
                } finally {
                    streaming = false;
                    Future<Void> d = streamDone;
                    streamDone = null;
                    if (d != null && !d.isDone()) {
                        d.setResult(null);
                    }
                }
            }
        };
    }

    @Override
    public void ping() throws IOException {
        ping(new byte[0]);
    }

    @Override
    public void ping(byte[] payload) throws IOException {
        control(Frames.PING, payload);
    }

    @Override
    public void pong(byte[] payload) throws IOException {
        control(Frames.PONG, payload);
    }

    private void control(int op, byte[] payload) throws IOException {
        if (payload.length > Frames.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("a control frame's payload is at most 125 bytes, not " + payload.length);
        }
        checkSendable();
        io.write(frame(op, true, false, payload, 0, payload.length));
        io.drain();
    }

    @Override
    public void close() {
        close(1000, "");
    }

    @Override
    public void close(int code, String reason) {
        Frames.closePayload(code, reason); // checks the code and the reason's length
        if (closed) {
            io.awaitClosed();
            return;
        }
        if (peerClosed) {
            // the peer's close came first: ours answers it, and the handshake is complete
            sendCloseFrame(code, reason);
            finish(terminal.code(), terminal.reason(), null);
            io.awaitClosed();
            return;
        }
        if (!closeSent) {
            sendCloseFrame(code, reason);
        }
        if (readingPaused) {
            readingPaused = false; // the peer's close must get through a full queue
            io.resumeReading();
        }
        armCloseTimer();
        Future<Void> done = closeDone;
        if (done == null) {
            done = loop.createFuture();
            closeDone = done;
        }
        try {
            Asyncio.await(Asyncio.shield(done));
        } catch (CancelledError e) {
            finish(1006, "", null);
            io.abort();
            throw e;
        }
        io.awaitClosed();
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public WsMessage receive() {
        while (true) {
            WsMessage m = inbox.peekFirst();
            if (m != null) {
                if (m == terminal && peerClosed && !closed) {
                    answerPeerClose(terminal.code(), terminal.reason());
                }
                if (m != terminal) {
                    inbox.pollFirst();
                    if (readingPaused && inbox.size() <= options.maxQueue() / 2) {
                        readingPaused = false;
                        io.resumeReading();
                    }
                }
                return m;
            }
            Future<Void> r = receiver;
            if (r == null || r.isDone()) {
                r = loop.createFuture();
                receiver = r;
            }
            Asyncio.await(r);
        }
    }

    @Override
    public WsMessage receive(Duration timeout) {
        return Asyncio.waitFor(this::receive, timeout);
    }

    @Override
    public String receiveText() throws WsClosedException {
        return switch (receiveData()) {
            case WsMessage.Text t -> t.data();
            case WsMessage m -> throw new IllegalStateException("expected a text message, got " + m);
        };
    }

    @Override
    public byte[] receiveBytes() throws WsClosedException {
        return switch (receiveData()) {
            case WsMessage.Binary b -> b.data();
            case WsMessage m -> throw new IllegalStateException("expected a binary message, got " + m);
        };
    }

    @Override
    public <T> T receiveJson(Class<T> type) throws WsClosedException {
        return JsonCodec.defaultCodec().decode(receiveText().getBytes(UTF_8), type);
    }

    private WsMessage receiveData() throws WsClosedException {
        while (true) {
            WsMessage m = receive();
            switch (m) {
                case WsMessage.Close c -> throw new WsClosedException(c.code(), "the WebSocket closed (code " + c.code()
                        + (c.reason().isEmpty() ? "" : ", " + c.reason()) + ")");
                case WsMessage.Ping p -> {
                }
                case WsMessage.Pong p -> {
                }
                default -> {
                    return m;
                }
            }
        }
    }

    @Override
    public Iterator<WsMessage> iterator() {
        return new Iterator<>() {
            private WsMessage next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = receive();
                }
                return !(next instanceof WsMessage.Close);
            }

            @Override
            public WsMessage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the WebSocket closed");
                }
                WsMessage m = next;
                next = null;
                return m;
            }
        };
    }

    // ------------------------------------------------------------------ state

    @Override
    public int closeCode() {
        return closeCode;
    }

    @Override
    public String closeReason() {
        return closeReason;
    }

    @Override
    public boolean isClosing() {
        return closeSent || closed;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public boolean compressed() {
        return deflate != null;
    }

    @Override
    public Throwable exception() {
        return exception;
    }
}
