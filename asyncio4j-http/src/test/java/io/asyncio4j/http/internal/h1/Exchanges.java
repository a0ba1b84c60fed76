package io.asyncio4j.http.internal.h1;

import io.asyncio4j.http.HttpParseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends raw request bytes to a server over a blocking socket and reads its answers with the
 * codec's response parser: what the differential and interop tests compare. Runs on a thread of
 * its own (never on a loop).
 */
public final class Exchanges {
    private Exchanges() {
    }

    /**
     * What a server answered.
     *
     * @param statuses the statuses of the complete responses, in order
     * @param closed whether the server closed the connection
     * @param bodies the bodies, concatenated
     */
    public record Answer(List<Integer> statuses, boolean closed, String bodies) {
        /** {@return accept when every response is 2xx and there is one, else reject} */
        public boolean accepted() {
            return !statuses.isEmpty() && statuses.stream().allMatch(s -> s >= 200 && s < 300);
        }

        @Override
        public String toString() {
            return statuses + (closed ? " closed" : " open");
        }
    }

    /**
     * Sends {@code raw}, reads answers until {@code expected} responses came, the server closed,
     * or the server stayed silent for {@code idleMillis}; then half-closes and reads what follows
     * for up to {@code idleMillis} more.
     *
     * @param port the server's port on 127.0.0.1
     * @param raw the request bytes
     * @param expected how many responses to wait for at most
     * @param idleMillis the silence that ends a phase
     * @return the answer
     * @throws IOException if connecting fails
     */
    public static Answer exchange(int port, byte[] raw, int expected, int idleMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(idleMillis);
            OutputStream out = s.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (IOException e) {
                // the server refused mid-request and closed: read what it said
            }
            H1Parser p = H1Parser.forResponses(new H1Limits(64 * 1024, 256 * 1024, 1000, 64 * 1024, Long.MAX_VALUE));
            List<Boolean> heads = headRequests(raw);
            int responseIndex = 0;
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).flip();
            List<Integer> statuses = new ArrayList<>();
            ByteArrayOutputStream bodies = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] b = new byte[1 << 16];
            boolean halfClosed = false;
            boolean closed = false;
            while (true) {
                int n;
                try {
                    n = in.read(b);
                } catch (SocketTimeoutException e) {
                    if (halfClosed) {
                        break;
                    }
                    s.shutdownOutput();
                    halfClosed = true;
                    continue;
                } catch (IOException e) {
                    n = -1; // reset: as closed
                }
                if (n < 0) {
                    closed = true;
                    p.eof();
                } else {
                    buf.compact();
                    if (buf.remaining() < n) {
                        ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2 + n);
                        buf.flip();
                        bigger.put(buf);
                        buf = bigger;
                    }
                    buf.put(b, 0, n).flip();
                }
                try {
                    while (true) {
                        if (p.atMessageStart() && responseIndex < heads.size() && heads.get(responseIndex)) {
                            p.expectNoBody(); // the answer to a HEAD request has no body
                        }
                        H1Parser.Event e = p.next(buf);
                        if (e == H1Parser.Event.NEED_DATA) {
                            break;
                        }
                        if (e == H1Parser.Event.HEAD && p.head().status() >= 200) {
                            statuses.add(p.head().status());
                            responseIndex++;
                        } else if (e == H1Parser.Event.BODY) {
                            ByteBuffer x = p.body();
                            byte[] copy = new byte[x.remaining()];
                            x.get(copy);
                            bodies.writeBytes(copy);
                        }
                    }
                } catch (HttpParseException | IllegalStateException e) {
                    break; // a response we cannot parse, or the end of the stream mid-response
                }
                if (closed || (statuses.size() >= expected && p.atMessageStart() && !halfClosed)) {
                    break;
                }
            }
            return new Answer(statuses, closed, bodies.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    /** {@return for each request the bytes hold (as far as they parse), whether it is a HEAD} */
    private static List<Boolean> headRequests(byte[] raw) {
        List<Boolean> out = new ArrayList<>();
        H1Parser p = H1Parser.forRequests(H1Limits.DEFAULTS.withMaxBody(Long.MAX_VALUE));
        ByteBuffer b = ByteBuffer.wrap(raw);
        try {
            while (true) {
                H1Parser.Event e = p.next(b);
                if (e == H1Parser.Event.NEED_DATA) {
                    return out;
                }
                if (e == H1Parser.Event.HEAD) {
                    out.add(p.head().method() == io.asyncio4j.http.HttpMethod.HEAD);
                }
            }
        } catch (HttpParseException | IllegalStateException e) {
            return out;
        }
    }
}
