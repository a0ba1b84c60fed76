package io.asyncio4j.http.ws;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.internal.ws.Frames;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.Streams;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;

/**
 * A WebSocket client that writes frames byte by byte as a test says (valid or not) and reads the
 * server's frames raw: the conformance tests' probe. Runs in a task of the test's loop.
 */
final class RawClient implements AutoCloseable {
    private final Streams.Connection c;
    private final boolean masked;

    private RawClient(Streams.Connection c, boolean masked) {
        this.c = c;
        this.masked = masked;
    }

    /**
     * Opens a connection and does the handshake.
     *
     * @param extraHeaders extra request lines ("Name: value\r\n"), or null
     */
    static RawClient open(int port, String path, String extraHeaders) throws IOException {
        Streams.Connection c = Streams.openConnection("127.0.0.1", port);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(ISO_8859_1));
        c.writer().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (extraHeaders == null ? "" : extraHeaders) + "\r\n").getBytes(ISO_8859_1));
        String head = new String(c.reader().readUntil("\r\n\r\n".getBytes(ISO_8859_1)), ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101 ") || !head.contains(Frames.acceptFor(key))) {
            c.writer().transport().abort();
            throw new IOException("not a 101 with the right accept value: " + head);
        }
        return new RawClient(c, true);
    }

    /** {@return the head of the server's answer to a raw request} */
    static String handshakeStatus(int port, String request) throws IOException {
        try (Streams.Connection c = Streams.openConnection("127.0.0.1", port)) {
            c.writer().write(request.getBytes(ISO_8859_1));
            return new String(c.reader().readUntil("\r\n\r\n".getBytes(ISO_8859_1)), ISO_8859_1);
        }
    }

    /** The head of the handshake's answer, with an extension header in it. */
    String head;

    /** Sends a frame: b0 is FIN/RSV/opcode, masked as asked (with a fixed key). */
    void sendFrame(int b0, boolean mask, byte[] payload) {
        c.writer().write(frame(b0, mask, payload));
    }

    static byte[] frame(int b0, boolean mask, byte[] payload) {
        byte[] f = Frames.encode(b0 & 0x0F, (b0 & 0x80) != 0, (b0 & 0x40) != 0, payload, 0, payload.length, mask,
                0x37FA213D);
        f[0] = (byte) b0; // keep RSV2/RSV3 as given
        return f;
    }

    /** Sends a masked frame. */
    void send(int b0, byte[] payload) {
        sendFrame(b0, masked, payload);
    }

    /** Sends raw bytes. */
    void sendRaw(byte[] b) {
        c.writer().write(b);
    }

    /** A frame from the server. */
    record Frame(int b0, byte[] payload) {
        int opcode() {
            return b0 & 0x0F;
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Reads the next frame (5 s at most); checks that the server did not mask it. */
    Frame readFrame() throws IOException {
        return Asyncio.waitFor(() -> {
            StreamReader r = c.reader();
            byte[] h = r.readExactly(2);
            if ((h[1] & 0x80) != 0) {
                throw new AssertionError("the server masked a frame");
            }
            long len = h[1] & 0x7F;
            if (len == 126) {
                byte[] e = r.readExactly(2);
                len = ((e[0] & 0xFF) << 8) | (e[1] & 0xFF);
            } else if (len == 127) {
                len = java.nio.ByteBuffer.wrap(r.readExactly(8)).getLong();
            }
            return new Frame(h[0] & 0xFF, r.readExactly((int) len));
        }, Duration.ofSeconds(5));
    }

    /** {@return whether the server closed the connection (within 5 s)} */
    boolean atEof() throws IOException {
        return Asyncio.waitFor(() -> c.reader().read(1).length == 0, Duration.ofSeconds(5));
    }

    @Override
    public void close() throws IOException {
        c.writer().transport().abort();
        try {
            c.writer().waitClosed();
        } catch (IOException e) {
            // aborted
        }
    }
}
