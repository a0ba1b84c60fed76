package io.asyncio4j.internal.net;

import io.asyncio4j.stream.IncompleteReadError;
import io.asyncio4j.stream.LimitOverrunError;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.Waitable;

/*
 * Implementation overview
 *
 * Received bytes accumulate in `buf[start, end)`. A reading task that needs more data parks as
 * the single `waiter`; feedData/feedEof/setException wake it. Flow control, as asyncio's: the
 * transport's reading is paused when more than twice the limit is buffered and resumed once a
 * read brings it back to the limit. A read cancelled while waiting consumes nothing: the data
 * stays for the next read. Loop thread only.
 */

/** The one implementation of {@link io.asyncio4j.stream.StreamReader}. */
public final class StreamReaderImpl implements StreamReader {
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] EMPTY = {};

    private final int limit;
    private byte[] buf = new byte[4096];
    private int start;
    private int end;
    private boolean eof;
    private Throwable exception;
    private TaskImpl<?> waiter;
    private Transport transport;
    private boolean paused;

    /** Creates a reader with the default limit (64 KiB), for feeding by hand or by a protocol. */
    public StreamReaderImpl() {
        this(DEFAULT_LIMIT);
    }

    /**
     * Creates a reader.
     *
     * @param limit the buffer limit for lines and separators
     * @throws IllegalArgumentException if the limit is not positive
     */
    public StreamReaderImpl(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0");
        }
        this.limit = limit;
    }

    @Override
    public int limit() {
        return limit;
    }

    // ------------------------------------------------------------------ feeding

    /**
     * Sets the transport whose reading this reader pauses and resumes (flow control).
     *
     * @param transport the transport
     */
    public void setTransport(Transport transport) {
        this.transport = transport;
    }

    /**
     * Adds received bytes and wakes a waiting reader. Never suspends.
     *
     * @param data the bytes, from position to limit (consumed)
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ensureRoom(n);
        data.get(buf, end, n);
        end += n;
        wakeWaiter();
        if (transport != null && !paused && size() > 2 * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (RuntimeException e) {
                // the transport cannot pause (closing): keep reading
            }
        }
    }

    /**
     * Adds received bytes; see {@link #feedData(ByteBuffer)}. Never suspends.
     *
     * @param data the bytes
     */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(data));
    }

    /** Marks the end of the stream and wakes a waiting reader. Never suspends. */
    public void feedEof() {
        eof = true;
        wakeWaiter();
    }

    /**
     * Makes every later read throw this error and wakes a waiting reader. Never suspends.
     *
     * @param error the error
     */
    public void setException(Throwable error) {
        exception = error;
        wakeWaiter();
    }

    @Override
    public Throwable exception() {
        return exception;
    }

    @Override
    public boolean atEof() {
        return eof && size() == 0;
    }

    private int size() {
        return end - start;
    }

    private void ensureRoom(int n) {
        if (end + n <= buf.length) {
            return;
        }
        int size = size();
        if (size + n <= buf.length && start > 0) {
            System.arraycopy(buf, start, buf, 0, size);
        } else {
            byte[] bigger = new byte[Math.max(buf.length * 2, size + n)];
            System.arraycopy(buf, start, bigger, 0, size);
            buf = bigger;
        }
        start = 0;
        end = size;
    }

    private void wakeWaiter() {
        TaskImpl<?> w = waiter;
        if (w != null && w.isParked()) {
            w.wake();
        }
    }

    /** Waits for more data, the end of the stream or an error. */
    private void waitForData(String what) throws IOException {
        if (waiter != null) {
            throw new IllegalStateException(what + "() called while another task is already waiting for incoming data");
        }
        if (eof) {
            throw new IllegalStateException("waiting for data after the end of the stream");
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        TaskImpl<?> t = TaskImpl.currentOrThrow("StreamReader." + what + "()");
        t.checkpointBeforeSuspend();
        waiter = t;
        try {
            t.park(Waitable.WAKE_ON_CANCEL);
        } finally {
            waiter = null;
        }
    }

    private void checkError() throws IOException {
        Throwable e = exception;
        if (e != null) {
            throw Sneaky.rethrow(e);
        }
    }

    /** Takes {@code n} buffered bytes. */
    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        maybeResume();
        return out;
    }

    private void maybeResume() {
        if (paused && size() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    // ------------------------------------------------------------------ reading

    @Override
    public byte[] read() throws IOException {
        checkError();
        while (!eof) {
            waitForData("read");
            checkError();
        }
        return take(size());
    }

    @Override
    public byte[] read(int n) throws IOException {
        checkError();
        if (n < 0) {
            return read();
        }
        if (n == 0) {
            return EMPTY;
        }
        while (size() == 0 && !eof) {
            waitForData("read");
            checkError();
        }
        return take(Math.min(n, size()));
    }

    @Override
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero");
        }
        checkError();
        if (n == 0) {
            return EMPTY;
        }
        while (size() < n) {
            if (eof) {
                byte[] partial = take(size());
                throw new IncompleteReadError(partial, n);
            }
            waitForData("readExactly");
            checkError();
        }
        return take(n);
    }

    @Override
    public byte[] readLine() throws IOException {
        try {
            return readUntil(NEWLINE);
        } catch (IncompleteReadError e) {
            return e.partial();
        } catch (LimitOverrunError e) {
            int c = e.consumed();
            if (c < size() && buf[start + c] == '\n') {
                take(c + 1);
            } else {
                take(size());
            }
            throw new LimitOverrunError(e.getMessage(), c);
        }
    }

    @Override
    public byte[] readUntil(byte[] separator) throws IOException {
        return readUntil(List.of(separator));
    }

    @Override
    public byte[] readUntil(List<byte[]> separators) throws IOException {
        if (separators.isEmpty()) {
            throw new IllegalArgumentException("Separator should contain at least one element");
        }
        int minLen = Integer.MAX_VALUE;
        int maxLen = 0;
        for (byte[] sep : separators) {
            if (sep.length == 0) {
                throw new IllegalArgumentException("Separator should be at least one-byte string");
            }
            minLen = Math.min(minLen, sep.length);
            maxLen = Math.max(maxLen, sep.length);
        }
        checkError();
        int offset = 0;
        while (true) {
            int size = size();
            if (size - offset >= minLen) {
                int matchEnd = -1;
                int matchStart = -1;
                for (byte[] sep : separators) {
                    int at = indexOf(sep, offset);
                    if (at >= 0 && (matchEnd < 0 || at + sep.length < matchEnd)) {
                        matchEnd = at + sep.length;
                        matchStart = at;
                    }
                }
                if (matchEnd >= 0) {
                    if (matchStart > limit) {
                        throw new LimitOverrunError("Separator is found, but chunk is longer than limit", matchStart);
                    }
                    return take(matchEnd);
                }
                offset = Math.max(0, size + 1 - maxLen);
                if (offset > limit) {
                    throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                byte[] rest = take(size());
                throw new IncompleteReadError(rest, -1);
            }
            waitForData("readUntil");
            checkError();
        }
    }

    private int indexOf(byte[] sep, int from) {
        int last = end - sep.length;
        outer:
        for (int i = start + from; i <= last; i++) {
            for (int j = 0; j < sep.length; j++) {
                if (buf[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
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
                        throw Sneaky.rethrow(e);
                    }
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<StreamReader");
        if (size() > 0) {
            sb.append(' ').append(size()).append(" bytes");
        }
        if (eof) {
            sb.append(" eof");
        }
        if (limit != DEFAULT_LIMIT) {
            sb.append(" limit=").append(limit);
        }
        if (waiter != null) {
            sb.append(" waiter=").append(waiter);
        }
        if (exception != null) {
            sb.append(" exception=").append(exception);
        }
        if (paused) {
            sb.append(" paused");
        }
        return sb.append('>').toString();
    }

    /** {@return how many bytes are buffered, for tests and debugging} */
    public int bufferedSize() {
        return size();
    }

    /** {@return the buffered bytes as text, for debugging} */
    public String peekText() {
        return new String(buf, start, size(), StandardCharsets.UTF_8);
    }
}
