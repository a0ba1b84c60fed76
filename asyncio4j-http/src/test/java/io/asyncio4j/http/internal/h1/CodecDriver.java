package io.asyncio4j.http.internal.h1;

import io.asyncio4j.http.HttpParseException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives the request parser as the server does, with no socket: bytes arrive in pieces, are
 * appended to one buffer that is compacted as the parser consumes it, and every event is pulled;
 * at the end the input is closed. The verdict is the server's: accept, or the status it answers.
 */
final class CodecDriver {
    private CodecDriver() {
    }

    /**
     * What the parser made of the bytes.
     *
     * @param verdict 0 when every request was accepted, else the status
     * @param requests the complete requests
     * @param bodies their bodies, concatenated
     * @param targets their targets
     * @param error the parse error's message, or null
     */
    record Result(int verdict, int requests, byte[] bodies, List<String> targets, String error) {
    }

    /** Feeds {@code raw} in pieces of the given sizes (cycled), then closes the input. */
    static Result run(byte[] raw, int[] pieces, H1Limits limits) {
        H1Parser p = H1Parser.forRequests(limits);
        ByteBuffer buf = ByteBuffer.allocate(256).flip();
        ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        List<String> targets = new ArrayList<>();
        int[] complete = {0};
        int off = 0;
        int k = 0;
        try {
            while (off < raw.length) {
                int n = Math.min(Math.max(1, pieces[k++ % pieces.length]), raw.length - off);
                buf = append(buf, raw, off, n);
                off += n;
                Integer v = drain(p, buf, bodies, targets, complete);
                if (v != null) {
                    return new Result(v, complete[0], bodies.toByteArray(), targets, "expectation");
                }
            }
            p.eof();
            Integer v = drain(p, buf, bodies, targets, complete);
            if (v != null) {
                return new Result(v, complete[0], bodies.toByteArray(), targets, "expectation");
            }
        } catch (HttpParseException e) {
            return new Result(e.status(), complete[0], bodies.toByteArray(), targets, e.getMessage());
        }
        if (complete[0] == 0 || complete[0] != targets.size()) {
            return new Result(-1, complete[0], bodies.toByteArray(), targets, "no complete request");
        }
        return new Result(0, complete[0], bodies.toByteArray(), targets, null);
    }

    private static ByteBuffer append(ByteBuffer buf, byte[] raw, int off, int n) {
        buf.compact();
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        buf.put(raw, off, n);
        return buf.flip();
    }

    /** Pulls events until the parser needs data; returns a verdict when the server must refuse. */
    private static Integer drain(H1Parser p, ByteBuffer buf, ByteArrayOutputStream bodies, List<String> targets,
                                 int[] complete) throws HttpParseException {
        while (true) {
            switch (p.next(buf)) {
                case NEED_DATA -> {
                    return null;
                }
                case HEAD -> {
                    if (p.head().unknownExpectation()) {
                        return 417;
                    }
                    targets.add(p.head().target());
                }
                case BODY -> {
                    ByteBuffer b = p.body();
                    byte[] copy = new byte[b.remaining()];
                    b.get(copy);
                    bodies.writeBytes(copy);
                }
                case END -> complete[0]++;
                default -> throw new AssertionError();
            }
        }
    }
}
