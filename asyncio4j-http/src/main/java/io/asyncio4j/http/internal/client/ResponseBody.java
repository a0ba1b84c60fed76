package io.asyncio4j.http.internal.client;

import io.asyncio4j.EventLoop;
import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.client.ClientError;
import io.asyncio4j.http.client.ClientEvents;
import io.asyncio4j.http.client.ClientPayloadError;
import io.asyncio4j.http.client.ClientTimeout;
import io.asyncio4j.http.client.ClientTimeoutError;
import io.asyncio4j.http.internal.h1.H1Parser;
import io.asyncio4j.stream.IncompleteReadError;
import io.asyncio4j.stream.LimitOverrunError;
import io.asyncio4j.stream.StreamReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/*
 * Implementation overview
 *
 * A response body as the core's StreamReader (aiohttp's resp.content is a StreamReader too): the
 * decoded pieces come from pull(), which asks the parser for the next event over the connection's
 * buffer and waits for bytes (bounded by sockRead and the total deadline) when it needs more.
 * `chunk`/`off` hold the piece not yet handed out. At the parser's END the connection goes back to
 * the pool, reusable when the response allowed keep-alive; any failure (a body cut short, a
 * timeout, a cancelled read) discards it, so a half-read body can never leak into the next
 * request. A decoder hands out bounded pieces: while it has some pending, pull() takes them before
 * reading more of the body, and it is finished (`decoderToFinish`) only after the parser's END and
 * once it is drained. Loop thread only.
 */

/** A response body read from its connection: the stream behind {@code ClientResponse.content()}. */
public final class ResponseBody implements StreamReader {
    private static final byte[] NO_BYTES = new byte[0];

    private final EventLoop loop;
    private final URI url;
    private ConnectionPool pool;
    private ClientConnection conn;
    private final H1Parser parser;
    private final boolean keepAlive;
    private final Decoder decoder;
    private final long sockReadNs;
    private final long totalDeadlineNs;
    private final ClientEvents events;
    private final Runnable onEnd;
    private byte[] chunk;
    private int off;
    private boolean ended;
    private boolean decoderToFinish;
    private IOException failure;

    /**
     * Makes the body of a response whose head was parsed.
     *
     * @param loop the loop
     * @param url the URL
     * @param pool the pool the connection goes back to
     * @param conn the connection
     * @param parser its parser, after the head
     * @param keepAlive whether the response allows reuse
     * @param decoder the decoder of its Content-Encoding, or {@code null}
     * @param sockReadNs the longest silence between reads, or 0
     * @param totalDeadlineNs the loop time the whole request must end by, or {@link Long#MAX_VALUE}
     * @param events the hooks, or {@code null}
     * @param onEnd run once when the connection is released or discarded, or {@code null}
     */
    public ResponseBody(EventLoop loop, URI url, ConnectionPool pool, ClientConnection conn, H1Parser parser, boolean keepAlive,
                 Decoder decoder, long sockReadNs, long totalDeadlineNs, ClientEvents events, Runnable onEnd) {
        this.loop = loop;
        this.url = url;
        this.pool = pool;
        this.conn = conn;
        this.parser = parser;
        this.keepAlive = keepAlive;
        this.decoder = decoder;
        this.sockReadNs = sockReadNs;
        this.totalDeadlineNs = totalDeadlineNs;
        this.events = events;
        this.onEnd = onEnd;
    }

    /** {@return an empty, ended body (HEAD, 204, 304), its connection already released} */
    public static ResponseBody empty(EventLoop loop, URI url) {
        ResponseBody b = new ResponseBody(loop, url, null, null, null, false, null, 0, Long.MAX_VALUE, null, null);
        b.ended = true;
        return b;
    }

    /** {@return whether the body was read to its end} */
    public boolean isEnded() {
        return ended && (chunk == null || off == chunk.length) && !decoderToFinish;
    }

    /**
     * Ends the body early: keeps the connection if the rest of the body is already buffered (no
     * wait), else closes it. Never suspends.
     */
    public void release() {
        if (conn == null) {
            return;
        }
        try {
            while (true) {
                H1Parser.Event e = parser.next(conn.input());
                if (e == H1Parser.Event.END) {
                    finishConnection(true);
                    return;
                }
                if (e != H1Parser.Event.BODY) {
                    break;
                }
            }
        } catch (HttpParseException | RuntimeException e) {
            // malformed: discarded below
        }
        fail(null);
    }

    /** Closes the connection because the body will not be read (or could not be). */
    private void fail(IOException why) {
        if (why != null && failure == null) {
            failure = why;
        }
        if (decoder != null) {
            decoder.close();
        }
        if (conn != null) {
            ClientConnection c = conn;
            conn = null;
            pool.discard(c);
            end();
        }
        ended = true;
    }

    private void finishConnection(boolean reuse) {
        ClientConnection c = conn;
        conn = null;
        ended = true;
        pool.release(c, reuse && keepAlive && !c.input().hasRemaining());
        end();
    }

    private void end() {
        if (onEnd != null) {
            onEnd.run();
        }
    }

    /** {@return the next decoded piece, or {@code null} at the end} */
    private byte[] pull() throws IOException {
        while (true) {
            if (failure != null) {
                throw failure;
            }
            if (decoder != null && decoder.hasPending()) {
                byte[] d = decode(NO_BYTES);
                if (d.length > 0) {
                    return d;
                }
                continue;
            }
            if (decoderToFinish) {
                decoderToFinish = false;
                try {
                    decoder.finish();
                } catch (IOException e) {
                    ClientPayloadError p = new ClientPayloadError(url, e.getMessage(), e);
                    failure = p;
                    throw p;
                }
                return null;
            }
            if (ended) {
                return null;
            }
            if (conn == null) {
                throw new ClientError(url, "the response was released before its body was read", null);
            }
            byte[] raw;
            try {
                raw = nextRaw();
            } catch (RuntimeException | Error e) {
                fail(null);
                throw e;
            } catch (IOException e) {
                fail(e);
                throw e;
            }
            if (raw == null) {
                if (decoder != null) {
                    decoderToFinish = true; // after what it still holds is taken (above)
                    continue;
                }
                return null;
            }
            if (decoder == null) {
                return raw;
            }
            byte[] d = decode(raw);
            if (d.length > 0) {
                return d;
            }
        }
    }

    private byte[] decode(byte[] raw) throws ClientPayloadError {
        try {
            return decoder.decode(raw);
        } catch (IOException e) {
            decoderToFinish = false;
            ClientPayloadError p = new ClientPayloadError(url, "cannot decompress the body: " + e.getMessage(), e);
            fail(p);
            throw p;
        }
    }

    private byte[] nextRaw() throws IOException {
        while (true) {
            H1Parser.Event e;
            ByteBuffer in = conn.input();
            try {
                e = parser.next(in);
            } catch (HttpParseException x) {
                throw new ClientPayloadError(url, "the response body is " + (conn.atEof() ? "cut short: " : "malformed: ")
                        + x.getMessage(), x);
            }
            switch (e) {
                case BODY -> {
                    ByteBuffer b = parser.body();
                    byte[] copy = new byte[b.remaining()];
                    b.get(copy);
                    if (events != null) {
                        events.responseChunkReceived(url, copy.length);
                    }
                    return copy;
                }
                case END -> {
                    finishConnection(true);
                    return null;
                }
                case NEED_DATA -> {
                    if (conn.atEof()) {
                        parser.eof();
                        continue; // a body until close ends; a cut one throws
                    }
                    long now = loop.time();
                    long readDeadline = sockReadNs == 0 ? Long.MAX_VALUE : now + sockReadNs;
                    long deadline = Math.min(readDeadline, totalDeadlineNs);
                    if (!conn.awaitInput(deadline)) {
                        ClientTimeout.Kind k = deadline == totalDeadlineNs ? ClientTimeout.Kind.TOTAL
                                : ClientTimeout.Kind.SOCK_READ;
                        throw new ClientTimeoutError(url, k, "reading the response body");
                    }
                }
                default -> throw new ClientPayloadError(url, "unexpected " + e + " in a body", null);
            }
        }
    }

    // ------------------------------------------------------------------ StreamReader

    @Override
    public int limit() {
        return DEFAULT_LIMIT;
    }

    @Override
    public Throwable exception() {
        return failure;
    }

    @Override
    public boolean atEof() {
        return isEnded();
    }

    private boolean fill() throws IOException {
        if (chunk != null && off < chunk.length) {
            return true;
        }
        chunk = pull();
        off = 0;
        return chunk != null;
    }

    @Override
    public byte[] read() throws IOException {
        if (!fill()) {
            return new byte[0];
        }
        byte[] first = off == 0 ? chunk : java.util.Arrays.copyOfRange(chunk, off, chunk.length);
        off = chunk.length;
        if (!fill()) {
            return first; // the whole body came in one piece: no copy
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(first.length + chunk.length - off + 1024);
        all.writeBytes(first);
        while (fill()) {
            all.write(chunk, off, chunk.length - off);
            off = chunk.length;
        }
        return all.toByteArray();
    }

    @Override
    public byte[] read(int n) throws IOException {
        if (n < 0) {
            return read();
        }
        if (n == 0 || !fill()) {
            return new byte[0];
        }
        int k = Math.min(n, chunk.length - off);
        byte[] out;
        if (off == 0 && k == chunk.length) {
            out = chunk;
        } else {
            out = java.util.Arrays.copyOfRange(chunk, off, off + k);
        }
        off += k;
        return out;
    }

    @Override
    public byte[] readExactly(int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream(n);
        while (got.size() < n) {
            if (!fill()) {
                throw new IncompleteReadError(got.toByteArray(), n);
            }
            int k = Math.min(n - got.size(), chunk.length - off);
            got.write(chunk, off, k);
            off += k;
        }
        return got.toByteArray();
    }

    @Override
    public byte[] readLine() throws IOException {
        try {
            return readUntil(new byte[] {'\n'});
        } catch (IncompleteReadError e) {
            return e.partial();
        }
    }

    @Override
    public byte[] readUntil(byte[] separator) throws IOException {
        return readUntil(List.of(separator));
    }

    @Override
    public byte[] readUntil(List<byte[]> separators) throws IOException {
        if (separators.isEmpty()) {
            throw new IllegalArgumentException("no separator");
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (true) {
            if (!fill()) {
                throw new IncompleteReadError(got.toByteArray(), -1);
            }
            while (off < chunk.length) {
                byte b = chunk[off++];
                got.write(b);
                byte[] a = null;
                for (byte[] sep : separators) {
                    if (sep[sep.length - 1] == b && got.size() >= sep.length) {
                        if (a == null) {
                            a = got.toByteArray(); // only when the byte ends a separator
                        }
                        if (endsWith(a, sep)) {
                            return a;
                        }
                    }
                }
                if (got.size() > limit()) {
                    throw new LimitOverrunError("separator is not found, and chunk exceed the limit", got.size());
                }
            }
        }
    }

    private static boolean endsWith(byte[] a, byte[] sep) {
        int base = a.length - sep.length;
        for (int i = 0; i < sep.length; i++) {
            if (a[base + i] != sep[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = readLine();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] n = next;
                next = null;
                return n;
            }
        };
    }

    /**
     * {@return the next piece as it arrived (decoded), or an empty array at the end: aiohttp's
     * {@code content.readany()}}
     * @throws IOException if the body is cut short or malformed
     */
    public byte[] readAny() throws IOException {
        return read(Integer.MAX_VALUE);
    }
}
