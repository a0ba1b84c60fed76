package io.asyncio4j.internal.tls;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import io.asyncio4j.transport.ExtraInfo;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.task.FutureImpl;

/*
 * Implementation overview
 *
 * TLS as a layer between a raw transport and the application's protocol, as asyncio's
 * SSLProtocol: towards the raw transport this object is a Protocol (it receives ciphertext), and
 * towards the application a Transport (it takes plaintext). Everything runs inline on the loop
 * thread, inside the raw transport's callbacks: no task switch per record, delegated tasks
 * (certificate checks) run inline too.
 *
 * Receiving. dataReceived(data) decrypts straight from the loop's read buffer; only the tail of
 * an incomplete record is copied into `netIn` (write mode: position = bytes kept). The next read
 * first tops `netIn` up, only as much as fits, until that record is through, then goes on from
 * the loop's buffer again. So no byte is copied twice, and `netIn` stays about one record in size
 * (copying whole reads into it would grow it to the loop's 256 KiB read size, per connection). process(src) runs the engine: handshake steps (wrap, unwrap, tasks) until the handshake
 * is finished, then unwraps records into `appIn` and hands each one's plaintext to the
 * application (deliver()).
 *
 * Sending. write() wraps at once, record by record, into `netOut` and writes each record to the
 * raw transport, whose buffer and water marks give the flow control (its pause/resumeWriting
 * are passed on). Plaintext that cannot be wrapped yet (before the handshake ends, or if an
 * engine refuses data while a renegotiation waits for the peer; the JDK's does not) waits in
 * `early`, in order, and is flushed when the engine is ready; a close() meanwhile waits for it.
 *
 * States. handshake (a future) is pending until the handshake ends: finishHandshake() completes
 * it and only then calls the application's connectionMade; failHandshake() fails it (the
 * connecting task gets the engine's exception), sends the engine's alert when there is one, and
 * closes the raw transport. A server's handshake timer is cancelled either way, so that it does
 * not hold the connection for its whole delay. The application hears of a failed handshake only
 * with STARTTLS, where it was connected before (`appConnected`): its connectionLost then gets the
 * handshake's error. After the handshake, close() sends close_notify and closes the raw transport
 * once flushed; a received close_notify is the application's end of file, and so is an end of
 * the stream without one (as asyncio); an SSLException (a forged record, say) is fatal: the peer
 * gets the engine's alert, the raw transport closes, and the error goes to the application's
 * connectionLost. Like asyncio (SSLError is an OSError there), such connection errors are not
 * sent to the loop's exception handler; a failing application callback is.
 *
 * The state is two enums and three facts:
 *
 *   handshakeState: IN_PROGRESS --finishHandshake--> DONE
 *                        +--------failHandshake----> FAILED (the connection closes)
 *   output:         OPEN --close()/abort()/fatal--> CLOSING --close_notify wrapped--> CLOSE_NOTIFY_SENT
 *                   (a close() during the handshake, or while held-back writes wait, stays CLOSING)
 *   inboundClosed:  the peer's close_notify or the raw end of stream was received;
 *   rawLost:        the raw transport's connectionLost ran (writes are then dropped, as asyncio does);
 *   appConnected:   the application's connectionMade ran (only then does it hear connectionLost).
 *
 * Loop thread only.
 */

/** TLS over another transport, with an {@link SSLEngine}. */
public final class SslTransport implements Transport, Protocol {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final EventLoopImpl loop;
    private final SSLEngine engine;
    private Protocol app;
    private Transport raw;
    final FutureImpl<Void> handshake;
    private TimerHandle handshakeTimer;

    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private final ArrayDeque<ByteBuffer> early = new ArrayDeque<>();
    /** Where the handshake is; see the overview. */
    enum Handshake { IN_PROGRESS, DONE, FAILED }

    /** Where this side's output is: open, closing (close_notify waits), close_notify sent. */
    enum Output { OPEN, CLOSING, CLOSE_NOTIFY_SENT }

    private Handshake handshakeState = Handshake.IN_PROGRESS;
    private Output output = Output.OPEN;
    /** The application's connectionMade has run (after the handshake, or before it with STARTTLS). */
    private boolean appConnected;
    /** The peer's close_notify, or the end of the raw stream, was received. */
    private boolean inboundClosed;
    /** The raw transport's connectionLost has run. */
    private boolean rawLost;
    private Throwable handshakeError;
    private Throwable fatalError;
    /** Guards report() against a handler that fails while reporting. */
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
     * Aborts the connection if the handshake has not finished within a time (servers, so that a
     * client that connects and stays silent does not hold a connection forever).
     *
     * @param timeout the time allowed
     */
    public void abortIfNotDoneWithin(Duration timeout) {
        handshakeTimer = loop.callLater(timeout, () -> {
            handshakeTimer = null;
            if (!handshake.isDone()) {
                failHandshake(new SSLHandshakeException("TLS handshake is taking longer than " + timeout
                        + ": aborting the connection"), false);
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
            failHandshake(e, false);
            return;
        }
        process(EMPTY);
    }

    /**
     * Starts the handshake over an already connected transport (STARTTLS).
     *
     * @param transport the raw transport, whose protocol becomes this layer
     */
    public void startOver(Transport transport) {
        appConnected = true; // the raw transport made the application's connection already
        transport.setProtocol(this);
        connectionMade(transport);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (stopped()) {
            return;
        }
        if (netIn.position() > 0) {
            // A record begun in an earlier read: complete it, topping up only what fits, so that
            // this buffer stays record-sized, then go on from the loop's buffer.
            while (netIn.position() > 0 && data.hasRemaining()) {
                if (!netIn.hasRemaining()) {
                    netIn = grow(netIn, netIn.capacity() * 2); // a record larger than the buffer
                }
                int n = Math.min(netIn.remaining(), data.remaining());
                netIn.put(netIn.position(), data, data.position(), n);
                netIn.position(netIn.position() + n);
                data.position(data.position() + n);
                netIn.flip();
                try {
                    process(netIn);
                } finally {
                    netIn.compact();
                }
                if (stopped()) {
                    return;
                }
            }
            if (!data.hasRemaining()) {
                return;
            }
        }
        process(data);
        if (data.hasRemaining() && !stopped()) {
            // the start of a record whose rest is still on its way
            if (netIn.capacity() < data.remaining()) {
                netIn = ByteBuffer.allocate(data.remaining());
            }
            netIn.put(data);
        }
    }

    /**
     * {@return whether received bytes no longer matter: the connection is failing or closing} A
     * close() that waits for held-back writes still needs the peer's handshake messages.
     */
    private boolean stopped() {
        return rawLost || handshakeState == Handshake.FAILED || inboundClosed || output != Output.OPEN && early.isEmpty();
    }

    private static ByteBuffer grow(ByteBuffer b, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        b.flip();
        bigger.put(b);
        return bigger;
    }

    @Override
    public boolean eofReceived() {
        if (handshakeState != Handshake.DONE) {
            failHandshake(new SSLHandshakeException("Remote host terminated the handshake"), false);
            return false;
        }
        if (inboundClosed) {
            return false;
        }
        inboundClosed = true;
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // The peer closed without close_notify. asyncio takes that as the end of the stream
            // too; a protocol that needs to detect truncation frames its own messages.
        }
        try {
            app.eofReceived();
        } catch (Throwable e) {
            report("protocol.eofReceived() call failed", e);
        }
        return false; // TLS cannot half-close: the raw transport closes
    }

    @Override
    public void connectionLost(Throwable error) {
        rawLost = true;
        cancelHandshakeTimer();
        Throwable why = error != null ? error : fatalError;
        if (handshakeState != Handshake.DONE) {
            failHandshake(error != null ? error
                    : new SSLHandshakeException("the connection was closed during the TLS handshake"), false);
            if (!appConnected) {
                return; // a new connection: its application never heard of it
            }
            // STARTTLS: the application's connection ends, with the reason the handshake failed
            why = handshakeError != null ? handshakeError : error;
        }
        try {
            app.connectionLost(why);
        } catch (Throwable e) {
            report("protocol.connectionLost() call failed", e);
        }
    }

    @Override
    public void pauseWriting() {
        if (handshakeState == Handshake.DONE) {
            app.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (handshakeState == Handshake.DONE) {
            app.resumeWriting();
        }
    }

    // ------------------------------------------------------------------ the engine

    /** Runs the engine over received bytes ({@code src}, read mode): handshake steps, then data. */
    private void process(ByteBuffer src) {
        try {
            while (!rawLost && handshakeState != Handshake.FAILED) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK -> runDelegatedTasks();
                    case NEED_WRAP -> {
                        wrapOne();
                        if (engine.isOutboundDone()) {
                            return;
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrap(src)) {
                            return;
                        }
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        if (handshakeState != Handshake.DONE) {
                            finishHandshake();
                            if (stopped()) {
                                return;
                            }
                        } else if (!early.isEmpty()) {
                            flushEarly(); // a renegotiation held writes back
                            if (output != Output.OPEN && early.isEmpty()) {
                                sendCloseNotify(); // the close() that waited for them
                            }
                        }
                        if (!src.hasRemaining() || !unwrap(src)) {
                            return;
                        }
                    }
                }
            }
        } catch (SSLException e) {
            if (handshakeState != Handshake.DONE) {
                failHandshake(e, true);
            } else {
                fatal(e);
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
    private boolean unwrap(ByteBuffer src) throws SSLException {
        SSLEngineResult r = engine.unwrap(src, appIn);
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                return false; // dataReceived keeps the partial record
            }
            case BUFFER_OVERFLOW -> {
                deliver();
                int need = engine.getSession().getApplicationBufferSize();
                if (appIn.position() + need > appIn.capacity()) {
                    appIn = grow(appIn, Math.max(appIn.capacity() * 2, appIn.position() + need));
                }
                return true;
            }
            case CLOSED -> {
                deliver();
                if (handshakeState != Handshake.DONE) {
                    failHandshake(new SSLHandshakeException("the peer closed the connection during the TLS handshake"),
                            true);
                    return false;
                }
                if (!inboundClosed) {
                    // close_notify: the end of the stream, then our own close_notify
                    inboundClosed = true;
                    try {
                        app.eofReceived();
                    } catch (Throwable e) {
                        report("protocol.eofReceived() call failed", e);
                    }
                    close();
                }
                return false;
            }
            default -> {
                deliver();
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0
                        || r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING;
            }
        }
    }

    /** Hands decrypted bytes to the application (dropped once it closed or aborted). */
    private void deliver() {
        if (appIn.position() == 0 || handshakeState != Handshake.DONE) {
            return; // plaintext of the handshake's last flight waits for finishHandshake()
        }
        appIn.flip();
        try {
            if (output == Output.OPEN) {
                app.dataReceived(appIn);
            }
        } catch (Throwable e) {
            report("protocol.dataReceived() call failed", e);
            abort();
        } finally {
            appIn.clear();
        }
    }

    /** Wraps one handshake message or alert and sends it. */
    private void wrapOne() throws SSLException {
        wrap(EMPTY);
    }

    /**
     * Encrypts {@code src} and sends the records; an empty src wraps one handshake message.
     * Returns false if the engine took nothing because it waits for the peer (a renegotiation).
     */
    private boolean wrap(ByteBuffer src) throws SSLException {
        while (true) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            netOut.flip();
            if (netOut.hasRemaining() && !raw.isClosing()) {
                raw.write(netOut);
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED || !src.hasRemaining()) {
                return true;
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                return false;
            }
        }
    }

    private void finishHandshake() throws SSLException {
        handshakeState = Handshake.DONE;
        appConnected = true;
        cancelHandshakeTimer();
        if (handshake.isDone()) {
            abort(); // the connecting task gave up (cancelled) while the last flight was on its way
            return;
        }
        handshake.setResult(null);
        try {
            app.connectionMade(this);
        } catch (Throwable e) {
            report("protocol.connectionMade() call failed", e);
            abort();
            return;
        }
        deliver(); // plaintext that came with the handshake's last flight
        flushEarly();
        if (output != Output.OPEN && early.isEmpty() && !rawLost) {
            sendCloseNotify(); // connectionMade wrote, then closed
        }
    }

    /** Sends the plaintext written while the engine could not take it; stops if it still cannot. */
    private void flushEarly() throws SSLException {
        ByteBuffer b;
        while ((b = early.peekFirst()) != null) {
            if (!wrap(b)) {
                return;
            }
            early.pollFirst();
        }
    }

    /**
     * The handshake failed: the connecting task gets the error; the peer gets the engine's alert
     * (what went wrong, as "certificate_unknown") when {@code sendAlert}; the connection closes.
     */
    private void failHandshake(Throwable error, boolean sendAlert) {
        handshakeState = Handshake.FAILED;
        cancelHandshakeTimer();
        if (!handshake.isDone()) {
            handshakeError = error;
            handshake.setException(error);
            handshake.exception(); // awaited by the connecting task, or by nobody (a server's client)
        }
        if (raw == null) {
            return;
        }
        if (sendAlert && !raw.isClosing()) {
            sendPendingAlert();
        }
        // close() once the alert is out (abort() would drop it), abort() if the socket is full
        if (raw.getWriteBufferSize() == 0) {
            raw.close();
        } else {
            raw.abort();
        }
    }

    /** After a failure the engine holds an alert for the peer: wrap and send it, best effort. */
    private void sendPendingAlert() {
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(EMPTY, netOut);
                netOut.flip();
                if (netOut.hasRemaining()) {
                    raw.write(netOut);
                }
                if (r.bytesProduced() == 0) {
                    return;
                }
            }
        } catch (SSLException | RuntimeException e) {
            // nothing more to tell the peer: the connection closes anyway
        }
    }

    /**
     * An error of the established connection (a forged or corrupt record, an unexpected message):
     * tell the peer with the engine's alert, close, and give the error to the application's
     * connectionLost.
     */
    private void fatal(SSLException e) {
        if (fatalError == null) {
            fatalError = e;
        }
        if (output == Output.OPEN) {
            output = Output.CLOSING;
        }
        early.clear();
        if (raw.isClosing()) {
            return;
        }
        sendPendingAlert();
        if (raw.getWriteBufferSize() == 0) {
            raw.close();
        } else {
            raw.abort(); // a broken connection does not wait for a slow peer
        }
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
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
        if (output != Output.OPEN) {
            throw new IllegalStateException("Transport is closing");
        }
        if (!data.hasRemaining() || rawLost) {
            return; // the connection is gone: the protocol's connectionLost tells the writer
        }
        if (handshakeState == Handshake.DONE && early.isEmpty()) {
            try {
                if (wrap(data)) {
                    return;
                }
            } catch (SSLException e) {
                fatal(e);
                return;
            }
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        early.addLast(copy);
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
        if (output != Output.OPEN) {
            return;
        }
        output = Output.CLOSING;
        if (raw == null) {
            return;
        }
        if (handshakeState == Handshake.DONE) {
            if (early.isEmpty()) {
                sendCloseNotify();
            } // else process() sends it once the renegotiation lets the writes through
        } else {
            raw.close();
        }
    }

    /** Sends close_notify, then closes the raw transport once its buffer is flushed. */
    private void sendCloseNotify() {
        if (output == Output.CLOSE_NOTIFY_SENT) {
            return;
        }
        output = Output.CLOSE_NOTIFY_SENT;
        engine.closeOutbound();
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(EMPTY, netOut);
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
        if (output == Output.OPEN) {
            output = Output.CLOSING;
        }
        early.clear();
        if (raw != null) {
            raw.abort();
        }
    }

    @Override
    public boolean isClosing() {
        return output != Output.OPEN || (raw != null && raw.isClosing());
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
        long n = raw.getWriteBufferSize();
        for (ByteBuffer b : early) {
            n += b.remaining();
        }
        return n;
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

    /**
     * {@inheritDoc} Over TLS also: {@code "ssl_object"} (or {@code "session"}): the
     * {@link SSLSession}, an {@link javax.net.ssl.ExtendedSSLSession} with the requested server
     * names on a server; {@code "cipher"}: the cipher suite's name; {@code "peercert"}: the peer's
     * certificate chain ({@code java.security.cert.Certificate[]}, the peer's own first), or
     * {@code null} if the peer sent none; {@code "alpn_protocol"}: the negotiated application
     * protocol, or {@code null}; {@code "sslengine"}: the {@link SSLEngine}.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getExtraInfo(ExtraInfo<T> key) {
        Object value;
        if (key == ExtraInfo.SSL_OBJECT) {
            value = engine.getSession();
        } else if (key == ExtraInfo.CIPHER) {
            value = engine.getSession().getCipherSuite();
        } else if (key == ExtraInfo.PEERCERT) {
            try {
                value = List.of(engine.getSession().getPeerCertificates());
            } catch (SSLPeerUnverifiedException e) {
                value = null;
            }
        } else if (key == ExtraInfo.ALPN_PROTOCOL) {
            String p = engine.getApplicationProtocol();
            value = p == null || p.isEmpty() ? null : p;
        } else if (key == ExtraInfo.SSL_ENGINE) {
            value = engine;
        } else {
            return raw == null ? null : raw.getExtraInfo(key);
        }
        return (T) value;
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
        return "<SslTransport " + (handshakeState == Handshake.DONE ? engine.getSession().getProtocol() : handshakeState == Handshake.FAILED ? "failed" : "handshaking")
                + " over " + raw + ">";
    }
}
