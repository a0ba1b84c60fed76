package io.asyncio4j.http.internal.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.internal.h1.ByteSink;
import io.asyncio4j.http.internal.h1.H1Parser;
import io.asyncio4j.http.internal.h1.HttpDate;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.transport.BufferedProtocol;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;

/*
 * Implementation overview
 *
 * The server side of one HTTP/1.1 connection, as a BufferedProtocol: the socket is read straight
 * into `in` (a heap buffer in read mode: unparsed bytes between position and limit), and each
 * read runs the parser right there on the loop, with no task switch. A request head starts an
 * Exchange whose handler runs in a task created eagerly: a handler that does not suspend runs to
 * its end inside this read callback, and its response lands in `out`, which is written to the
 * transport once at the end of the callback, for every pipelined request the read brought (one
 * write per read burst, as Netty's flush on read-complete). A handler that suspends goes on in
 * its task; its writes then go to the transport at once, and its end schedules `resume`.
 *
 * Requests on a connection are handled one at a time, in order (pipelining answers in order by
 * construction). While a request is in flight the parser is pulled only for its body, as far as
 * its BodyStream wants (64 KiB unread); later requests' bytes wait in `in`. Reading from the
 * socket is paused whenever more input would not be consumed: a full body stream, or 64 KiB of
 * pipelined requests waiting (updateReading). Writing applies the transport's water marks:
 * pauseWriting/resumeWriting gate Exchange.write's drain().
 *
 * One timer per connection checks the keep-alive timeout (idle between requests) and the
 * header-read timeout (a head that takes too long to arrive: slowloris); it is re-armed when it
 * fires, not per request, so a request costs no timer work.
 *
 * Loop thread only; handler tasks run there too. `processing` guards against re-entry: a
 * handler that ends inside process() only marks its exchange, and the loop in process() goes on.
 */

/** The server side of one HTTP/1.1 connection. */
public final class HttpConnection implements BufferedProtocol {
    private static final int MIN_READ_ROOM = 2048;
    private static final int OUT_FLUSH = 64 * 1024;
    private static final int BIG_WRITE = 16 * 1024;
    private static final int PIPELINE_BUFFER = 64 * 1024;
    /** A body left unread up to this size is discarded to keep the connection; a larger one closes it. */
    static final long DISCARD_LIMIT = 256 * 1024;

    final ServerCore core;
    final EventLoop loop;
    private final boolean tls;
    private Transport transport;
    private final H1Parser parser;
    private ByteBuffer in;
    private ByteBuffer readView;
    private final int maxInput;
    private final ByteSink out = new ByteSink(4096);
    private ByteBuffer outView;
    private byte[] outViewArray;

    private boolean inRead;
    private boolean processing;
    private boolean reading = true;
    private Exchange current;
    /** No more requests are read: the connection closes once the current response is sent. */
    private boolean closing;
    private boolean closed;
    private boolean lost;
    private boolean peerEof;
    private boolean writePaused;
    private Future<Void> drainWaiter;
    private boolean resumeScheduled;
    private long lastActivityNs;
    private long headStartNs = -1;
    private TimerHandle timer;
    private long timerDeadlineNs = Long.MAX_VALUE;
    private boolean overLimit;
    private boolean sendfileActive;
    /** After a 101: the protocol that owns the input (WebSocket); HTTP parsing has ended. */
    private UpgradeHandler upgraded;

    HttpConnection(ServerCore core, boolean tls) {
        this.core = core;
        this.loop = core.loop();
        this.tls = tls;
        this.parser = H1Parser.forRequests(core.limits());
        this.maxInput = Math.max(core.limits().maxStartLine() + core.limits().maxHeaderBytes(), PIPELINE_BUFFER)
                + 4 * MIN_READ_ROOM;
        this.in = ByteBuffer.allocate(8 * 1024).flip();
        this.readView = ByteBuffer.wrap(in.array());
    }

    // ------------------------------------------------------------------ Protocol

    @Override
    public void connectionMade(Transport t) {
        this.transport = t;
        lastActivityNs = System.nanoTime();
        overLimit = !core.register(this);
        armTimer(core.keepAliveNs());
    }

    @Override
    public ByteBuffer getBuffer(int sizeHint) {
        ByteBuffer b = in;
        if (!b.hasRemaining()) {
            b.limit(0); // position > limit is illegal: limit first
            b.position(0);
        } else if (b.capacity() - b.limit() < MIN_READ_ROOM) {
            makeRoom();
            b = in;
        }
        return readView.limit(b.capacity()).position(b.limit());
    }

    private void makeRoom() {
        ByteBuffer b = in;
        int rem = b.remaining();
        if (b.position() > 0) {
            System.arraycopy(b.array(), b.position(), b.array(), 0, rem);
            b.limit(rem);
            b.position(0);
        }
        if (b.capacity() - rem < MIN_READ_ROOM) {
            int cap = Math.min(Math.max(b.capacity() * 2, rem + MIN_READ_ROOM), Math.max(maxInput, rem + 1));
            ByteBuffer bigger = ByteBuffer.allocate(cap);
            bigger.put(b).flip();
            in = bigger;
            readView = ByteBuffer.wrap(bigger.array());
        }
    }

    @Override
    public void bufferUpdated(int nbytes) {
        ByteBuffer b = in;
        b.limit(b.limit() + nbytes);
        if (upgraded != null) {
            upgraded.dataReceived(b);
            return;
        }
        long now = System.nanoTime();
        lastActivityNs = now;
        if (current == null && headStartNs < 0) {
            headStartNs = now;
        }
        onInput();
    }

    private void onInput() {
        inRead = true;
        try {
            process();
        } finally {
            inRead = false;
        }
        flushOut();
        updateReading();
        if (current == null && headStartNs >= 0 && in.hasRemaining() && !closed) {
            // a head is arriving in pieces: make sure the timer fires at its deadline (slowloris)
            long deadline = headStartNs + core.headerReadNs();
            if (deadline < timerDeadlineNs) {
                timer.cancel();
                armTimer(deadline - System.nanoTime());
            }
        }
    }

    /**
     * The client shut its side. Whatever it sent is parsed first: a request head cut short gets
     * its 400, and so does a body cut short (its handler's read fails with a 400, which it
     * answers over the half-open connection). A handler still running for a complete request then
     * counts as abandoned, as in aiohttp and Go: with handler cancellation on (the default) it is
     * cancelled and the connection closes; with it off, the response is finished over the
     * half-open connection, then the connection closes.
     */
    @Override
    public boolean eofReceived() {
        peerEof = true;
        if (upgraded != null) {
            return upgraded.eofReceived();
        }
        boolean bodyPending = current != null && !current.bodyDone;
        parser.eof();
        onInput();
        Exchange x = current;
        if (x == null || x.finished || closed) {
            return false; // nothing more to answer: close once flushed
        }
        closing = true;
        if (bodyPending) {
            return true; // the body was cut short: the handler's read answers 400 (see parseFailed)
        }
        if (core.settings().handlerCancellation()) {
            if (x.body != null) {
                x.body.fail(lostException());
            }
            if (x.task != null && !x.task.isDone()) {
                x.task.cancel("the client closed the connection");
            }
            return false;
        }
        return true; // keep the write side open for the response in flight
    }

    @Override
    public void connectionLost(Throwable error) {
        lost = true;
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        core.unregister(this);
        failDrain();
        if (upgraded != null) {
            upgraded.connectionLost(error); // the upgraded protocol tells its handler; no cancellation
            return;
        }
        Exchange x = current;
        if (x != null && !x.finished) {
            if (x.body != null) {
                x.body.fail(lostException());
            }
            if (core.settings().handlerCancellation() && x.task != null && !x.task.isDone()) {
                x.task.cancel("the client disconnected");
            }
        }
    }

    @Override
    public void pauseWriting() {
        writePaused = true;
    }

    @Override
    public void resumeWriting() {
        writePaused = false;
        Future<Void> w = drainWaiter;
        if (w != null) {
            drainWaiter = null;
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    private void failDrain() {
        Future<Void> w = drainWaiter;
        if (w != null) {
            drainWaiter = null;
            if (!w.isDone()) {
                w.setException(lostException());
            }
        }
    }

    // ------------------------------------------------------------------ parsing and dispatch

    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (!lost && !closed && upgraded == null) {
                Exchange x = current;
                if (x == null) {
                    if (closing) {
                        in.position(in.limit()); // a request after "Connection: close" is not read
                        return;
                    }
                    if (!in.hasRemaining() && !peerEof) {
                        return;
                    }
                    H1Parser.Event e = parser.next(in);
                    if (e == H1Parser.Event.NEED_DATA) {
                        return;
                    }
                    headStartNs = -1;
                    start(new Exchange(this, parser.head(), System.nanoTime()));
                    continue;
                }
                if (x.bodyDone) {
                    if (!x.finished) {
                        return; // the handler is still running
                    }
                    current = null;
                    lastActivityNs = System.nanoTime();
                    if (in.hasRemaining()) {
                        headStartNs = lastActivityNs;
                    }
                    continue;
                }
                if (!x.discarding && x.body != null && (!x.body.wantsMore() || !x.clientSendsBody())) {
                    return; // the handler has not asked for more (or for the 100 Continue yet)
                }
                H1Parser.Event e = parser.next(in);
                switch (e) {
                    case NEED_DATA -> {
                        return;
                    }
                    case BODY -> {
                        if (!x.discarding) {
                            x.body.feed(parser.body());
                        }
                    }
                    case END -> {
                        x.bodyDone = true;
                        if (x.body != null) {
                            x.body.feedEof();
                        }
                    }
                    default -> throw new IllegalStateException("unexpected parser event " + e);
                }
            }
        } catch (HttpParseException e) {
            parseFailed(e);
        } finally {
            processing = false;
        }
    }

    private void start(Exchange x) {
        current = x;
        core.requestStarted();
        if (overLimit) {
            x.bodyDone = true; // not read: the connection closes after this answer
            closing = true;
            respondDirectly(x, 503, "503: the server is at its connection limit", "Retry-After", "1");
            return;
        }
        if (x.head.unknownExpectation()) {
            x.bodyDone = true;
            closing = true;
            respondDirectly(x, 417, "417: the server cannot meet the expectation '"
                    + x.head.headers().get("Expect") + "'", null, null);
            return;
        }
        parser.setBodyLimit(x.request.clientMaxSize());
        x.task = Asyncio.createEagerTask(() -> {
            core.dispatcher().dispatch(x);
            return null;
        });
    }

    /** A parse error: on a head, answer its status and close; in a body, fail the body and close. */
    private void parseFailed(HttpParseException e) {
        closing = true;
        Exchange x = current;
        if (x == null) {
            core.requestStarted();
            core.badRequest(this, e);
            writeErrorResponse(e.status(), e.status() + ": " + HttpStatus.of(e.status()).reason() + " ("
                    + e.getMessage() + ")", null, null);
            closeTransport();
            return;
        }
        x.bodyDone = true;
        if (x.body != null && !x.finished) {
            x.body.fail(e.status() == 413 ? HttpException.contentTooLarge(parser.bodyLimit())
                    : new HttpException(HttpStatus.of(e.status()), e.getMessage()));
        }
        if (x.finished) {
            closeTransport(); // the response was sent; the rest of the body was malformed
        }
    }

    /** Answers an exchange without running a handler (503 over the limit, 417). */
    private void respondDirectly(Exchange x, int status, String text, String header, String value) {
        writeErrorResponse(status, text, header, value);
        x.finished = true;
        core.requestFinished(x, status);
        closeTransport();
    }

    private void writeErrorResponse(int status, String text, String header, String value) {
        byte[] body = (text + "\n").getBytes(UTF_8);
        HttpStatus st = HttpStatus.of(status);
        io.asyncio4j.http.internal.h1.H1Encoder.statusLine(out, io.asyncio4j.http.HttpVersion.HTTP_1_1, status,
                st.reason());
        io.asyncio4j.http.internal.h1.H1Encoder.field(out, "Content-Type", "text/plain; charset=utf-8");
        io.asyncio4j.http.internal.h1.H1Encoder.field(out, "Content-Length", body.length);
        if (header != null) {
            io.asyncio4j.http.internal.h1.H1Encoder.field(out, header, value);
        }
        out.putLatin1("Date: ").put(HttpDate.now(System.currentTimeMillis())).put('\r').put('\n');
        io.asyncio4j.http.internal.h1.H1Encoder.field(out, "Connection", "close");
        io.asyncio4j.http.internal.h1.H1Encoder.endHead(out);
        out.put(body);
        flushOut();
    }

    /** The handler's task finished with its exchange (from the task, on the loop). */
    void handlerDone(Exchange x) {
        x.finished = true;
        core.requestFinished(x, x.status());
        if (lost) {
            return;
        }
        if (!x.complete() || x.aborted()) {
            abortFor(x);
            return;
        }
        if (!x.keepAlive()) {
            closing = true;
        }
        if (!x.bodyDone) {
            long rest = parser.remainingBodyBytes();
            if (closing || !x.clientSendsBody() || rest < 0 || rest > DISCARD_LIMIT) {
                closing = true; // cheaper to close than to read a large unread body
            } else {
                x.discarding = true;
            }
        }
        if (closing && (x.bodyDone || !x.discarding)) {
            flushOut();
            closeTransport();
            return;
        }
        if (processing) {
            return; // the handler ended inside process(), which goes on from here
        }
        if (!resumeScheduled) {
            resumeScheduled = true;
            loop.callSoon(this::resume);
        }
    }

    private void resume() {
        resumeScheduled = false;
        if (!lost && !closed) {
            onInput();
        }
    }

    /** The body stream was read (or waits): feed it more from the buffer, resume the socket. */
    void bodyWanted(Exchange x) {
        if (x != current || lost || processing) {
            return;
        }
        boolean wasInRead = inRead;
        process();
        if (!wasInRead) {
            flushOut();
        }
        updateReading();
    }

    long remainingBodyBytes() {
        return parser.remainingBodyBytes();
    }

    void setBodyLimit(Exchange x, long bytes) {
        if (x == current) {
            parser.setBodyLimit(bytes);
        }
    }

    private void updateReading() {
        if (lost || closed || upgraded != null) {
            return;
        }
        Exchange x = current;
        boolean want;
        if (closing) {
            want = x != null && !x.bodyDone && x.discarding;
        } else if (x == null) {
            want = true;
        } else if (!x.bodyDone) {
            want = x.discarding || x.body == null || (x.body.wantsMore() && x.clientSendsBody());
        } else {
            want = in.remaining() < PIPELINE_BUFFER;
        }
        if (sendfileActive) {
            want = false;
        }
        if (want != reading) {
            reading = want;
            if (want) {
                transport.resumeReading();
            } else {
                transport.pauseReading();
            }
        }
    }

    // ------------------------------------------------------------------ writing (from the exchange)

    ByteSink out() {
        return out;
    }

    /** The exchange wrote into {@link #out()} directly. */
    void sent() {
        if (!inRead || out.size() >= OUT_FLUSH) {
            flushOut();
        }
    }

    void sendRaw(byte[] b) {
        out.put(b);
    }

    void send(ByteBuffer data) throws IOException {
        if (lost || closed) {
            throw lostException();
        }
        if (data.remaining() >= BIG_WRITE) {
            flushOut();
            transport.write(data);
        } else {
            out.put(data);
            if (!inRead || out.size() >= OUT_FLUSH) {
                flushOut();
            }
        }
    }

    void flushOutUnlessReading() {
        if (!inRead) {
            flushOut();
        }
    }

    void flushOut() {
        int n = out.size();
        if (n == 0) {
            return;
        }
        if (lost || closed) {
            out.clear();
            return;
        }
        byte[] a = out.array();
        if (outViewArray != a) {
            outViewArray = a;
            outView = ByteBuffer.wrap(a);
        }
        outView.limit(n).position(0);
        transport.write(outView); // takes what the socket does not accept at once
        out.clear();
    }

    /** Waits while the transport is above its high water mark. Suspends; checks for cancellation. */
    void drain() throws IOException {
        while (writePaused && !lost) {
            Future<Void> w = drainWaiter;
            if (w == null) {
                w = loop.createFuture();
                drainWaiter = w;
            }
            Asyncio.await(w);
        }
        if (lost) {
            throw lostException();
        }
    }

    long sendfile(FileChannel file, long position, long count) throws IOException {
        drain();
        sendfileActive = true;
        updateReading();
        try {
            return io.asyncio4j.transport.Transports.sendfile(transport, file, position, count);
        } finally {
            sendfileActive = false;
            if (!lost) {
                updateReading();
            }
        }
    }

    /** Reads a piece of a file on the default executor: file reads may block, the loop must not. */
    int readFile(FileChannel file, ByteBuffer dst, long position) throws IOException {
        return Asyncio.await(loop.runInExecutor(() -> file.read(dst, position)));
    }

    boolean plainTcp() {
        return !tls && transport.getExtraInfo(io.asyncio4j.transport.ExtraInfo.SOCKET) instanceof java.nio.channels.SocketChannel;
    }

    boolean isLost() {
        return lost || closed;
    }

    boolean closingAfterCurrent() {
        return closing;
    }

    IOException lostException() {
        return new SocketException("the client disconnected");
    }

    /**
     * Ends a connection whose response cannot be completed: what was written goes out first, so
     * the client sees a truncated response end with the connection; a transport that cannot take
     * it now (a client that stopped reading) is aborted.
     */
    void abortFor(Exchange x) {
        if (!closed) {
            flushOut();
            closed = true;
            if (transport.getWriteBufferSize() == 0) {
                transport.close();
            } else {
                transport.abort();
            }
        }
    }

    private void closeTransport() {
        if (!closed) {
            flushOut();
            closed = true;
            transport.close();
        }
    }

    // ------------------------------------------------------------------ timeouts and shutdown

    private void armTimer(long delayNs) {
        long d = Math.max(delayNs, 1_000_000);
        timerDeadlineNs = System.nanoTime() + d;
        timer = loop.callLater(Duration.ofNanos(d), this::onTimer);
    }

    private void onTimer() {
        if (lost || closed || upgraded != null) {
            return;
        }
        long now = System.nanoTime();
        if (current == null) {
            if (headStartNs >= 0 && in.hasRemaining()) {
                long deadline = headStartNs + core.headerReadNs();
                if (now >= deadline) {
                    closing = true;
                    core.headerTimeout(this);
                    writeErrorResponse(408, "408: Request Timeout (the request's head took too long)", null, null);
                    closeTransport();
                    return;
                }
                armTimer(Math.min(deadline, lastActivityNs + core.keepAliveNs()) - now);
                return;
            }
            long deadline = lastActivityNs + core.keepAliveNs();
            if (now >= deadline) {
                closeTransport(); // idle keep-alive connection: close quietly, as aiohttp
                return;
            }
            armTimer(deadline - now);
            return;
        }
        armTimer(core.keepAliveNs());
    }

    /** Graceful shutdown: closes the connection if idle, else after the response in flight. */
    void closeIfIdle() {
        if (lost || closed) {
            return;
        }
        if (upgraded != null) {
            upgraded.shutdown();
            return;
        }
        if (current == null && !in.hasRemaining()) {
            closeTransport();
        } else {
            closing = true;
        }
    }

    /** Shutdown after the grace period: cancels a handler still running and closes. */
    void cancelInFlight() {
        Exchange x = current;
        if (x != null && x.task != null && !x.task.isDone()) {
            x.task.cancel("the server is shutting down");
        }
        if (!closed) {
            closed = true;
            transport.abort();
        }
    }

    // ------------------------------------------------------------------ after a 101

    /**
     * Hands the connection's input to another protocol (Exchange.upgrade, after the 101 head was
     * written): no more HTTP is parsed, the idle timers stop, and bytes that came after the
     * request's head go to the handler in the next loop turn.
     */
    UpgradedStream upgrade(UpgradeHandler h) {
        upgraded = h;
        parser.upgrade();
        closing = true;
        if (timer != null) {
            timer.cancel();
        }
        if (!reading && !lost && !closed) {
            reading = true;
            transport.resumeReading();
        }
        loop.callSoon(() -> {
            if (!lost && !closed && in.hasRemaining()) {
                h.dataReceived(in);
            }
        });
        return new UpgradedStream(this);
    }

    void upgradedReading(boolean on) {
        if (lost || closed || on == reading) {
            return;
        }
        reading = on;
        if (on) {
            transport.resumeReading();
        } else {
            transport.pauseReading();
        }
    }

    void closeUpgraded(boolean abort) {
        if (closed) {
            return;
        }
        if (abort) {
            closed = true;
            out.clear();
            transport.abort();
        } else {
            closeTransport();
        }
    }

    boolean busy() {
        return current != null && !current.finished;
    }

    Transport transport() {
        return transport;
    }

    boolean isTls() {
        return tls;
    }
}
