package io.asyncio4j.http.internal.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.asyncio4j.Task;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.HttpVersion;
import io.asyncio4j.http.internal.h1.ByteSink;
import io.asyncio4j.http.internal.h1.H1Encoder;
import io.asyncio4j.http.internal.h1.HeaderNames;
import io.asyncio4j.http.internal.h1.HttpDate;
import io.asyncio4j.http.internal.h1.MessageHead;
import io.asyncio4j.http.internal.compress.Codecs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/*
 * Implementation overview
 *
 * One request and its response on a connection. The connection makes it when the parser
 * returns a head, feeds its body (BodyStream), and runs its handler in a task (`task`); the
 * response is written through the methods below, called from that task, which frame it
 * (Content-Length, chunked, or until close for HTTP/1.0), compress it when asked, and suspend in
 * drain() while the transport is above its high water mark. writeEof() ends the response; the
 * task's end calls handlerDone(), after which the connection either discards the rest of the
 * request body (small) or closes, then goes on with the next pipelined request.
 *
 *   state: head pending --writeHead--> body --writeEof--> complete
 *          any state --abort()/connection lost--> aborted (the connection is closed)
 */

/** A request on a connection and the writing of its response. */
public final class Exchange {
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(ISO_8859_1);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(ISO_8859_1);
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(ISO_8859_1);
    private static final byte[] CONNECTION_KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(ISO_8859_1);
    private static final byte[] DATE = "Date: ".getBytes(ISO_8859_1);
    private static final byte[] CRLF = {'\r', '\n'};

    final HttpConnection conn;
    final MessageHead head;
    final RequestImpl request;
    final BodyStream body;
    final long startNs;
    Task<?> task;

    // request side, driven by the connection
    boolean bodyDone;
    boolean discarding;
    boolean finished;
    private boolean continueSent;

    // response side
    private boolean headWritten;
    private boolean complete;
    private boolean aborted;
    private boolean headOnly;
    private boolean noBody;
    private boolean chunked;
    private long declaredLength = -1;
    private long bodyWritten;
    private boolean keepAlive;
    private int status;
    private long bytesSent;
    private ByteArrayOutputStream compressed;
    private OutputStream compressor;
    private java.util.List<Runnable> cleanups;

    Exchange(HttpConnection conn, MessageHead head, long startNs) {
        this.conn = conn;
        this.head = head;
        this.startNs = startNs;
        this.body = head.hasBody() ? new BodyStream(this, conn.loop) : null;
        this.request = new RequestImpl(this);
        this.keepAlive = head.keepAlive();
    }

    /** {@return the request} */
    public RequestImpl request() {
        return request;
    }

    /** {@return the request's head} */
    public MessageHead head() {
        return head;
    }

    /** {@return the handler's task} */
    public Task<?> task() {
        return task;
    }

    // ------------------------------------------------------------------ request body

    void bodyReadStarted() {
        if (head.expectContinue() && !continueSent && !headWritten && !conn.isLost()) {
            continueSent = true;
            conn.sendRaw(H1Encoder.CONTINUE_100);
            conn.flushOut();
        }
    }

    void bodyWanted() {
        conn.bodyWanted(this);
    }

    void bodyConsumed() {
        conn.bodyWanted(this);
    }

    /**
     * {@return whether answering now leaves a body that will not be read: the client waits for a
     * 100 Continue that was not sent, or a large (or chunked) body the handler has not begun to
     * read; the connection then closes after the response, which says so}
     */
    private boolean bodyLeftUnread() {
        if (bodyDone || body == null) {
            return false;
        }
        if (!clientSendsBody()) {
            return true;
        }
        long rest = conn.remainingBodyBytes();
        return !body.started() && (rest < 0 || rest > HttpConnection.DISCARD_LIMIT);
    }

    /** {@return whether the client was told to send the body, or did not have to wait} */
    boolean clientSendsBody() {
        return !head.expectContinue() || continueSent;
    }

    /**
     * Sets the body limit before the body is read.
     *
     * @param bytes the limit
     * @throws IllegalStateException if reading has begun
     */
    void setBodyLimit(long bytes) {
        if (body != null && body.started()) {
            throw new IllegalStateException("the body is being read already: set the limit before reading");
        }
        conn.setBodyLimit(this, bytes);
    }

    // ------------------------------------------------------------------ response

    /** {@return whether the response's head was written} */
    public boolean headWritten() {
        return headWritten;
    }

    /** {@return whether the response is complete} */
    public boolean complete() {
        return complete;
    }

    /** {@return whether this exchange was aborted (the connection closed under it)} */
    public boolean aborted() {
        return aborted || conn.isLost();
    }

    /** {@return whether the request was HEAD: the response's body is not sent} */
    public boolean headOnly() {
        return head.method() == HttpMethod.HEAD;
    }

    /** {@return the request's version} */
    public HttpVersion version() {
        return head.version();
    }

    /** {@return whether sendfile() can hand the file to the kernel (plain TCP, no framing, no compression)} */
    public boolean zeroCopyPossible() {
        return headWritten && !chunked && compressor == null && !headOnly && !noBody && conn.plainTcp();
    }

    /**
     * Writes the response's head.
     *
     * @param st the status
     * @param headers the fields set by the application (framing fields are decided here)
     * @param setCookies the {@code Set-Cookie} values
     * @param contentLength the body's length, or -1 if unknown
     * @param forceChunked whether to use chunked framing even with a known length
     * @param forceClose whether to close the connection after this response
     * @param coding the content coding to compress with ({@code null} for none)
     * @throws IOException if the connection is lost
     * @throws IllegalStateException if the head was written already
     */
    public void writeHead(HttpStatus st, Headers headers, List<String> setCookies, long contentLength,
                          boolean forceChunked, boolean forceClose, String coding) throws IOException {
        if (headWritten) {
            throw new IllegalStateException("the response's head was sent already (prepare() once)");
        }
        if (aborted()) {
            throw conn.lostException();
        }
        headWritten = true;
        status = st.code();
        headOnly = headOnly();
        noBody = st.forbidsBody();
        if (forceClose || conn.closingAfterCurrent() || !head.keepAlive() || bodyLeftUnread()) {
            keepAlive = false;
        }
        boolean http10 = head.version() == HttpVersion.HTTP_1_0;
        if (coding != null && !noBody) {
            contentLength = -1;
            compressed = new ByteArrayOutputStream(8192);
            compressor = switch (coding) {
                case "gzip" -> new GZIPOutputStream(compressed, 8192, true);
                case "br" -> Codecs.brotliEncoder(compressed);
                default -> new DeflaterOutputStream(compressed, new java.util.zip.Deflater(), 8192, true);
            };
            OutputStream c = compressor;
            onHandlerDone(() -> closeQuietly(c)); // a body never ended still frees its (native) encoder
        }
        if (noBody) {
            contentLength = -1;
        } else if (contentLength < 0 || forceChunked) {
            if (http10) {
                keepAlive = false; // the end of the body is the end of the connection
            } else {
                chunked = true;
            }
            contentLength = -1;
        }
        declaredLength = contentLength;
        ByteSink out = conn.out();
        int before = out.size();
        H1Encoder.statusLine(out, st);
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            if (isFramingField(name)) {
                if (name.equalsIgnoreCase("Connection") && HeaderNames.listContains(headers.value(i), "close")) {
                    keepAlive = false;
                }
                continue;
            }
            H1Encoder.field(out, name, headers.value(i));
        }
        if (coding != null && compressor != null) {
            H1Encoder.field(out, "Content-Encoding", coding);
            if (!headers.containsToken("Vary", "Accept-Encoding")) {
                H1Encoder.field(out, "Vary", "Accept-Encoding");
            }
        }
        for (String c : setCookies) {
            H1Encoder.field(out, "Set-Cookie", c);
        }
        if (contentLength >= 0) {
            out.put(CONTENT_LENGTH).putDecimal(contentLength).put(CRLF);
        } else if (chunked) {
            out.put(CHUNKED);
        }
        out.put(DATE).put(HttpDate.now(System.currentTimeMillis())).put(CRLF);
        byte[] server = conn.core.serverLine();
        if (server != null && !headers.contains("Server")) {
            out.put(server);
        }
        if (!keepAlive) {
            out.put(CONNECTION_CLOSE);
        } else if (http10) {
            out.put(CONNECTION_KEEP_ALIVE);
        }
        H1Encoder.endHead(out);
        bytesSent += out.size() - before;
        conn.sent();
    }

    private static boolean isFramingField(String name) {
        int n = name.length();
        return (n == 14 && name.equalsIgnoreCase("Content-Length"))
                || (n == 17 && name.equalsIgnoreCase("Transfer-Encoding"))
                || (n == 10 && name.equalsIgnoreCase("Connection"));
    }

    /**
     * Writes body bytes; suspends while the transport's buffer is above its high water mark.
     * Suspends; checks for cancellation.
     *
     * @param data the bytes (consumed)
     * @throws IOException if the connection is lost
     * @throws IllegalStateException if the head was not written, the body ended, or more bytes
     *     than the declared length are written
     */
    public void write(ByteBuffer data) throws IOException {
        checkWritable();
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        if (headOnly || noBody) {
            data.position(data.limit());
            bodyWritten += n;
            return;
        }
        if (compressor != null) {
            if (data.hasArray()) {
                compressor.write(data.array(), data.arrayOffset() + data.position(), n);
                data.position(data.limit());
            } else {
                byte[] copy = new byte[n];
                data.get(copy);
                compressor.write(copy);
            }
            compressor.flush(); // a sync flush: what was written reaches the client now (streams, SSE)
            bodyWritten += n;
            emitCompressed();
        } else {
            countBody(n);
            frameAndSend(data);
        }
        conn.drain();
    }

    private void countBody(long n) {
        if (declaredLength >= 0 && bodyWritten + n > declaredLength) {
            throw new IllegalStateException("writing " + (bodyWritten + n) + " bytes of a body whose Content-Length is "
                    + declaredLength);
        }
        bodyWritten += n;
    }

    private void emitCompressed() throws IOException {
        if (compressed.size() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(compressed.toByteArray());
        compressed.reset();
        frameAndSend(b);
    }

    private void frameAndSend(ByteBuffer data) throws IOException {
        int n = data.remaining();
        if (chunked) {
            ByteSink out = conn.out();
            int before = out.size();
            H1Encoder.chunkHeader(out, n);
            bytesSent += out.size() - before;
            conn.send(data);
            conn.sendRaw(CRLF);
            bytesSent += n + 2;
        } else {
            conn.send(data);
            bytesSent += n;
        }
    }

    /**
     * Waits while the transport is above its high water mark. Suspends; checks for cancellation.
     *
     * @throws IOException if the connection is lost
     */
    public void drain() throws IOException {
        checkWritable();
        conn.drain();
    }

    private void checkWritable() throws IOException {
        if (!headWritten) {
            throw new IllegalStateException("prepare() the response before writing its body");
        }
        if (complete) {
            throw new IllegalStateException("the response's body has ended (writeEof() was called)");
        }
        if (aborted()) {
            throw conn.lostException();
        }
    }

    /**
     * Ends the body, with trailers when chunked. Suspends in drain; checks for cancellation.
     *
     * @param trailers trailer fields, or {@code null}
     * @throws IOException if the connection is lost
     * @throws IllegalStateException if fewer bytes than the declared length were written
     */
    public void writeEof(Headers trailers) throws IOException {
        if (complete) {
            return;
        }
        checkWritable();
        if (compressor != null) {
            compressor.close(); // finishes the stream (into `compressed`) and frees the encoder
            emitCompressed();
        }
        if (!headOnly && !noBody && declaredLength >= 0 && bodyWritten != declaredLength) {
            abort();
            throw new IllegalStateException("the body has " + bodyWritten + " bytes but its Content-Length is "
                    + declaredLength + ": the connection was closed");
        }
        if (chunked && !headOnly) {
            ByteSink out = conn.out();
            int before = out.size();
            H1Encoder.lastChunk(out, trailers);
            bytesSent += out.size() - before;
            conn.sent();
        }
        complete = true;
        conn.flushOutUnlessReading();
    }

    /**
     * Sends a region of a file as the next body bytes: zero-copy when {@link #zeroCopyPossible()},
     * else read and written in pieces. Suspends; checks for cancellation.
     *
     * @param file the file
     * @param position where to start
     * @param count how many bytes
     * @throws IOException if reading or the connection fails
     */
    public void sendfile(FileChannel file, long position, long count) throws IOException {
        checkWritable();
        if (headOnly || noBody || count == 0) {
            bodyWritten += count;
            return;
        }
        if (zeroCopyPossible()) {
            countBody(count);
            conn.flushOut();
            long sent = conn.sendfile(file, position, count);
            bytesSent += sent;
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, 256 * 1024));
        long pos = position;
        long end = position + count;
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = conn.readFile(file, buf, pos);
            if (n < 0) {
                abort();
                throw new java.io.EOFException("the file ended before " + count + " bytes were sent");
            }
            pos += n;
            buf.flip();
            write(buf);
        }
    }

    /**
     * Answers {@code 101 Switching Protocols} and hands the connection to another protocol
     * (WebSocket): the head is written with the given fields (and {@code Server}), the exchange
     * counts as complete, and the connection closes when the handler ends. Never suspends.
     *
     * @param headers the 101's fields ({@code Upgrade}, {@code Connection} and the protocol's own)
     * @param handler the protocol that gets the connection's input
     * @return the connection's sending side
     * @throws IOException if the connection is lost
     * @throws IllegalStateException if the head was written already
     */
    public UpgradedStream upgrade(Headers headers, UpgradeHandler handler) throws IOException {
        if (headWritten) {
            throw new IllegalStateException("the response's head was sent already");
        }
        if (aborted()) {
            throw conn.lostException();
        }
        headWritten = true;
        complete = true;
        keepAlive = false;
        status = 101;
        ByteSink out = conn.out();
        int before = out.size();
        H1Encoder.statusLine(out, HttpStatus.SWITCHING_PROTOCOLS);
        for (int i = 0, n = headers.size(); i < n; i++) {
            H1Encoder.field(out, headers.name(i), headers.value(i));
        }
        byte[] server = conn.core.serverLine();
        if (server != null && !headers.contains("Server")) {
            out.put(server);
        }
        H1Encoder.endHead(out);
        bytesSent += out.size() - before;
        UpgradedStream s = conn.upgrade(handler);
        conn.flushOut();
        return s;
    }

    /** Closes the connection at once: the response cannot be completed. Never suspends. */
    public void abort() {
        if (!aborted) {
            aborted = true;
            conn.abortFor(this);
        }
    }

    /** {@return the status sent (0 before the head)} */
    public int status() {
        return status;
    }

    /** {@return the bytes sent for this response} */
    public long bytesSent() {
        return bytesSent;
    }

    /** {@return the body bytes the application wrote (before compression and framing)} */
    public long bodyBytes() {
        return bodyWritten;
    }

    /** {@return whether the connection stays open after this response} */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Marks that the connection closes after this response (before the head is written). */
    public void forceClose() {
        keepAlive = false;
    }

    /**
     * Runs an action when the handler is done with this exchange, however it ended (a response's
     * helper tasks stop there).
     *
     * @param action the action
     */
    public void onHandlerDone(Runnable action) {
        if (cleanups == null) {
            cleanups = new java.util.ArrayList<>(2);
        }
        cleanups.add(action);
    }

    private static void closeQuietly(OutputStream compressor) {
        try {
            compressor.close(); // a second close does nothing
        } catch (IOException e) {
            // in memory only: nothing was lost that anyone will read
        }
    }

    /** The handler's task is done with this exchange: called by the dispatcher at its end. */
    public void handlerDone() {
        if (cleanups != null) {
            for (Runnable r : cleanups) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    conn.loop.callExceptionHandler(io.asyncio4j.ExceptionContext.of(
                            "a cleanup of an HTTP exchange failed", e));
                }
            }
            cleanups = null;
        }
        conn.handlerDone(this);
    }
}
