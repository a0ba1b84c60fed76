package io.asyncio4j.internal;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.stream.Protocol;
import io.asyncio4j.stream.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/*
 * Implementation overview
 *
 * TLS as a layer between a raw transport and the application's protocol, as asyncio's
 * SSLProtocol: towards the raw transport this object is a Protocol (it receives ciphertext), and
 * towards the application a Transport (it takes plaintext). Received ciphertext accumulates in
 * `netIn`; process() runs the SSLEngine: handshake steps (wrap, unwrap, delegated tasks run
 * inline) until it is finished, then unwraps application data to the application protocol.
 * Application writes before the handshake ends wait in `early`. The handshake's outcome completes
 * `handshake`, which the connecting task awaits; the application's connectionMade runs when it
 * succeeds. close() sends close_notify, then closes the raw transport. Loop thread only.
 */

/** TLS over another transport, with an {@link SSLEngine}. */
public final class SslTransport implements Transport, Protocol {
    private final EventLoopImpl loop;
    private final SSLEngine engine;
    private Protocol app;
    private Transport raw;
    final FutureImpl<Void> handshake;

    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private final ArrayDeque<ByteBuffer> early = new ArrayDeque<>();
    private boolean handshakeDone;
    private boolean closing;
    private boolean lost;
    private boolean inboundClosed;
    private boolean reporting;

    /**
     * Creates the layer; it starts its handshake when the raw transport connects.
     *
     * @param loop the loop
     * @param engine the engine, in client or server mode
     * @param app the application's protocol
     */
    public SslTransport(EventLoopImpl loop, SSLEngine engine, Protocol app) {
        this.loop = loop;
        this.engine = engine;
        this.app = app;
        this.handshake = new FutureImpl<>(loop);
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    }

    /** {@return the future of the handshake's outcome} */
    public io.asyncio4j.Future<Void> handshakeFuture() {
        return handshake;
    }

    /**
     * Aborts the connection if the handshake has not finished within a time (servers).
     *
     * @param timeout the time allowed
     */
    public void abortIfNotDoneWithin(java.time.Duration timeout) {
        loop.callLater(timeout, () -> {
            if (!handshake.isDone()) {
                failHandshake(new SSLException("TLS handshake timed out after " + timeout));
            }
        });
    }

    // ------------------------------------------------------------------ towards the raw transport

    @Override
    public void connectionMade(Transport transport) {
        raw = transport;
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            failHandshake(e);
            return;
        }
        process();
    }

    /**
     * Starts the handshake over an already connected transport (STARTTLS).
     *
     * @param transport the raw transport, whose protocol becomes this layer
     */
    public void startOver(Transport transport) {
        transport.setProtocol(this);
        connectionMade(transport);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (netIn.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + data.remaining() + netIn.capacity());
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
        process();
    }

    @Override
    public boolean eofReceived() {
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // the peer closed without close_notify: a truncation attack or a careless peer
            if (!handshakeDone) {
                failHandshake(e);
                return false;
            }
        }
        inboundClosed = true;
        if (handshakeDone) {
            try {
                app.eofReceived();
            } catch (Throwable e) {
                report("protocol.eofReceived() call failed", e);
            }
        } else {
            failHandshake(new SSLException("connection closed during the TLS handshake"));
        }
        return false; // TLS cannot half-close: the raw transport closes
    }

    @Override
    public void connectionLost(Throwable error) {
        lost = true;
        if (!handshakeDone) {
            failHandshake(error != null ? error : new SSLException("connection lost during the TLS handshake"));
            return;
        }
        try {
            app.connectionLost(error);
        } catch (Throwable e) {
            report("protocol.connectionLost() call failed", e);
        }
    }

    @Override
    public void pauseWriting() {
        if (handshakeDone) {
            app.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (handshakeDone) {
            app.resumeWriting();
        }
    }

    // ------------------------------------------------------------------ the engine

    /** Runs the engine over what has arrived: handshake steps, then application data. */
    private void process() {
        try {
            while (!lost) {
                SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK -> runDelegatedTasks();
                    case NEED_WRAP -> {
                        wrap(ByteBuffer.allocate(0));
                        if (engine.isOutboundDone()) {
                            return;
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrap()) {
                            return;
                        }
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        if (!handshakeDone) {
                            finishHandshake();
                        }
                        if (netIn.position() == 0 || !unwrap()) {
                            return;
                        }
                    }
                }
            }
        } catch (SSLException e) {
            if (!handshakeDone) {
                failHandshake(e);
            } else {
                // the raw transport's connectionLost then tells the application
                report("TLS error", e);
                raw.abort();
            }
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Unwraps one record; returns false when more input is needed (or inbound is done). */
    private boolean unwrap() throws SSLException {
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (netIn.position() == netIn.capacity()) {
                    ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                return false;
            }
            case BUFFER_OVERFLOW -> {
                ByteBuffer bigger = ByteBuffer.allocate(appIn.capacity() * 2);
                appIn.flip();
                bigger.put(appIn);
                appIn = bigger;
                return true;
            }
            case CLOSED -> {
                deliver();
                if (!inboundClosed) {
                    inboundClosed = true;
                    if (handshakeDone) {
                        try {
                            app.eofReceived();
                        } catch (Throwable e) {
                            report("protocol.eofReceived() call failed", e);
                        }
                    }
                    close();
                }
                return false;
            }
            default -> {
                deliver();
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0
                        || r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
            }
        }
    }

    /** Hands decrypted bytes to the application. */
    private void deliver() {
        if (appIn.position() == 0 || !handshakeDone) {
            return;
        }
        appIn.flip();
        try {
            app.dataReceived(appIn);
        } catch (Throwable e) {
            report("protocol.dataReceived() call failed", e);
            raw.abort();
        } finally {
            appIn.clear();
        }
    }

    /** Encrypts and sends all of {@code src} (or one handshake message for an empty src). */
    private void wrap(ByteBuffer src) throws SSLException {
        do {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                continue;
            }
            netOut.flip();
            if (netOut.hasRemaining() && !raw.isClosing()) {
                raw.write(netOut);
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return;
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            }
        } while (src.hasRemaining());
    }

    private void finishHandshake() throws SSLException {
        handshakeDone = true;
        if (raw instanceof TcpTransport t) {
            t.putExtraInfo("ssl_object", engine.getSession());
        }
        handshake.setResult(null);
        try {
            app.connectionMade(this);
        } catch (Throwable e) {
            report("protocol.connectionMade() call failed", e);
            raw.abort();
            return;
        }
        ByteBuffer b;
        while ((b = early.pollFirst()) != null) {
            wrap(b);
        }
        if (closing) {
            sendCloseNotify();
        }
    }

    private void failHandshake(Throwable error) {
        if (!handshake.isDone()) {
            handshake.setException(error);
            handshake.exception(); // awaited by the connecting task, or nobody (a server's client)
        }
        if (raw != null) {
            raw.abort();
        }
    }

    private void report(String what, Throwable e) {
        if (reporting) {
            return;
        }
        reporting = true;
        try {
            loop.callExceptionHandler(ExceptionContext.of("Fatal error: " + what + " on " + this, e));
        } finally {
            reporting = false;
        }
    }

    // ------------------------------------------------------------------ towards the application

    @Override
    public void write(ByteBuffer data) {
        if (closing) {
            throw new IllegalStateException("Transport is closing");
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (!handshakeDone) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data).flip();
            early.addLast(copy);
            return;
        }
        try {
            wrap(data);
        } catch (SSLException e) {
            raw.abort();
        }
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("TLS connections cannot half-close (canWriteEof() is false)");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (handshakeDone) {
            sendCloseNotify();
        } else if (raw != null) {
            raw.close();
        }
    }

    private void sendCloseNotify() {
        engine.closeOutbound();
        try {
            while (!engine.isOutboundDone()) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), netOut);
                netOut.flip();
                if (netOut.hasRemaining() && !raw.isClosing()) {
                    raw.write(netOut);
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED || r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            // the close_notify could not be sent: close anyway
        }
        raw.close();
    }

    @Override
    public void abort() {
        closing = true;
        if (raw != null) {
            raw.abort();
        }
    }

    @Override
    public boolean isClosing() {
        return closing || (raw != null && raw.isClosing());
    }

    @Override
    public void pauseReading() {
        raw.pauseReading();
    }

    @Override
    public void resumeReading() {
        raw.resumeReading();
    }

    @Override
    public boolean isReading() {
        return raw.isReading();
    }

    @Override
    public long getWriteBufferSize() {
        return raw.getWriteBufferSize();
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        raw.setWriteBufferLimits(high, low);
    }

    @Override
    public int getWriteBufferHigh() {
        return raw.getWriteBufferHigh();
    }

    @Override
    public int getWriteBufferLow() {
        return raw.getWriteBufferLow();
    }

    @Override
    public Object getExtraInfo(String name) {
        return switch (name) {
            case "ssl_object", "session" -> engine.getSession();
            case "cipher" -> engine.getSession().getCipherSuite();
            case "peercert" -> {
                try {
                    yield engine.getSession().getPeerCertificates();
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    yield null;
                }
            }
            case "alpn_protocol" -> {
                String p = engine.getApplicationProtocol();
                yield p == null || p.isEmpty() ? null : p;
            }
            case "sslengine" -> engine;
            default -> raw == null ? null : raw.getExtraInfo(name);
        };
    }

    @Override
    public Protocol getProtocol() {
        return app;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.app = protocol;
    }

    @Override
    public String toString() {
        return "<SslTransport " + (handshakeDone ? engine.getSession().getProtocol() : "handshaking") + " over " + raw
                + ">";
    }
}
