package io.asyncio4j.http.internal.server;

import static io.asyncio4j.Asyncio.await;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.http.server.BodyReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/*
 * Implementation overview
 *
 * The body of one request, fed by the connection from the parser's BODY events (each a copy: the
 * connection's input buffer is reused) and read by the handler's task. `chunks` holds what has
 * arrived and not been read; `head` is the read offset into the first chunk. The connection
 * feeds while buffered() < HIGH and pauses the socket otherwise; a read that takes bytes tells
 * the connection (bodyConsumed), which feeds more from its buffer and resumes the socket. One
 * reader at a time waits on `waiter`, a loop future; a cancelled read consumes nothing. The
 * first read of a request that expects 100-continue asks the exchange to send it. Loop thread
 * only (the handler's task runs there too).
 */

/** A request body between the connection and the handler. */
public final class BodyStream implements BodyReader {
    /** The connection stops feeding (and reading the socket) above this many unread bytes. */
    static final int HIGH = 64 * 1024;
    private static final byte[] EMPTY = {};
    private static final int MAX_LINE = 64 * 1024;

    private final Exchange exchange;
    private final EventLoop loop;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int head;
    private int buffered;
    private boolean eof;
    private Throwable error;
    private Future<Void> waiter;
    private long read;
    private boolean started;

    BodyStream(Exchange exchange, EventLoop loop) {
        this.exchange = exchange;
        this.loop = loop;
    }

    // ------------------------------------------------------------------ the connection's side

    /** {@return whether the connection should feed more} */
    boolean wantsMore() {
        return buffered < HIGH && error == null;
    }

    void feed(ByteBuffer data) {
        if (error != null || !data.hasRemaining()) {
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        chunks.addLast(copy);
        buffered += copy.length;
        wake();
    }

    void feedEof() {
        eof = true;
        wake();
    }

    void fail(Throwable e) {
        if (error == null && !(eof && buffered == 0)) {
            error = e;
            wake();
        }
    }

    private void wake() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    /** {@return whether reading has begun} */
    boolean started() {
        return started;
    }

    // ------------------------------------------------------------------ the handler's side

    /** Waits until bytes, the end or an error are there. Suspends; checks for cancellation. */
    private void awaitData() throws IOException {
        if (!started) {
            started = true;
            exchange.bodyReadStarted();
        }
        while (buffered == 0 && !eof && error == null) {
            if (waiter != null) {
                throw new IllegalStateException("two tasks read one request body at once");
            }
            Future<Void> w = loop.createFuture();
            waiter = w;
            exchange.bodyWanted();
            try {
                await(w);
            } finally {
                if (waiter == w) {
                    waiter = null;
                }
            }
        }
        if (error != null && buffered == 0) {
            throwError();
        }
    }

    private void throwError() throws IOException {
        Throwable e = error;
        if (e instanceof IOException io) {
            throw io;
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
        throw new IOException(e);
    }

    private byte[] take(int max) {
        byte[] first = chunks.peekFirst();
        int avail = first.length - head;
        byte[] out;
        if (head == 0 && avail <= max) {
            out = chunks.pollFirst();
        } else {
            int n = Math.min(avail, max);
            out = Arrays.copyOfRange(first, head, head + n);
            head += n;
            if (head == first.length) {
                chunks.pollFirst();
                head = 0;
            }
        }
        consumed(out.length);
        return out;
    }

    private void consumed(int n) {
        boolean wasFull = buffered >= HIGH;
        buffered -= n;
        read += n;
        if (wasFull || buffered == 0) {
            exchange.bodyConsumed();
        }
    }

    @Override
    public byte[] readAny() throws IOException {
        awaitData();
        return buffered == 0 ? EMPTY : take(Integer.MAX_VALUE);
    }

    @Override
    public byte[] read(int n) throws IOException {
        if (n < 0) {
            return readAll();
        }
        if (n == 0) {
            return EMPTY;
        }
        awaitData();
        return buffered == 0 ? EMPTY : take(n);
    }

    /** Reads to the end; the body limit bounds what this can hold. */
    byte[] readAll() throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        while (true) {
            byte[] b = readAny();
            if (b.length == 0) {
                return all.toByteArray();
            }
            all.writeBytes(b);
        }
    }

    @Override
    public byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            byte[] b = read(n - got);
            if (b.length == 0) {
                throw new EOFException("the body ended after " + got + " of " + n + " bytes");
            }
            System.arraycopy(b, 0, out, got, b.length);
            got += b.length;
        }
        return out;
    }

    @Override
    public byte[] readLine() throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        while (true) {
            awaitData();
            if (buffered == 0) {
                return line.toByteArray();
            }
            byte[] first = chunks.peekFirst();
            int nl = -1;
            for (int i = head; i < first.length; i++) {
                if (first[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? first.length : nl + 1;
            byte[] part = take(end - head);
            line.writeBytes(part);
            if (line.size() > MAX_LINE) {
                throw new IOException("a line of the body is longer than " + MAX_LINE + " bytes");
            }
            if (nl >= 0) {
                return line.toByteArray();
            }
        }
    }

    @Override
    public int readInto(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        awaitData();
        if (buffered == 0) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && buffered > 0) {
            byte[] first = chunks.peekFirst();
            int n = Math.min(first.length - head, dst.remaining());
            dst.put(first, head, n);
            head += n;
            total += n;
            if (head == first.length) {
                chunks.pollFirst();
                head = 0;
            }
            consumed(n);
        }
        return total;
    }

    @Override
    public boolean atEof() {
        return eof && buffered == 0;
    }

    @Override
    public long bytesRead() {
        return read;
    }

    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = readAny();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] b = next;
                next = null;
                return b;
            }
        };
    }
}
