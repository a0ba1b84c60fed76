package io.asyncio4j.http.internal.h1;

import io.asyncio4j.http.HttpParseException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The fuzzing oracle of the request parser. For any bytes, the only allowed outcomes are parsed
 * requests or an {@link HttpParseException} (any other exception fails, and Jazzer reports a
 * hang past its per-input timeout); the bytes the parser leaves unconsumed while it waits for
 * more stay within its limits (bounded memory); and the result is the same whether the bytes
 * arrive at once or in pieces (the pieces are chosen by the input's first byte).
 */
final class ParserFuzzing {
    private ParserFuzzing() {
    }

    /** Small limits, so that the fuzzer reaches them. */
    static final H1Limits LIMITS = new H1Limits(256, 512, 16, 64, 4096);
    /** What the parser may hold back while waiting: a line of the largest section, plus CRLF. */
    private static final int MAX_HELD = Math.max(Math.max(LIMITS.maxStartLine() * 2, LIMITS.maxHeaderBytes()),
            LIMITS.maxChunkLine()) + 2;

    static void check(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int pieceSize = 1 + (input[0] & 0x1f);
        byte[] raw = Arrays.copyOfRange(input, 1, input.length);
        Outcome whole = feed(raw, new int[] {Integer.MAX_VALUE});
        Outcome pieces = feed(raw, new int[] {pieceSize});
        if (!whole.equals(pieces)) {
            throw new AssertionError("the outcome depends on how the bytes are split: whole " + whole + ", in pieces of "
                    + pieceSize + " " + pieces);
        }
    }

    /**
     * The same oracle with uneven pieces: the first four bytes give four piece sizes (1 to 64),
     * used in turn, so that boundaries fall at every offset of a line.
     */
    static void checkUnevenPieces(byte[] input) {
        if (input.length < 4) {
            return;
        }
        int[] sizes = new int[4];
        for (int i = 0; i < 4; i++) {
            sizes[i] = 1 + (input[i] & 0x3f);
        }
        byte[] raw = Arrays.copyOfRange(input, 4, input.length);
        Outcome whole = feed(raw, new int[] {Integer.MAX_VALUE});
        Outcome pieces = feed(raw, sizes);
        if (!whole.equals(pieces)) {
            throw new AssertionError("the outcome depends on how the bytes are split: whole " + whole + ", in pieces of "
                    + Arrays.toString(sizes) + " " + pieces);
        }
    }

    /** The comparable result of one run. */
    record Outcome(int status, int heads, int ends, long bodyBytes, int bodyHash) {
    }

    private static Outcome feed(byte[] raw, int[] sizes) {
        H1Parser p = H1Parser.forRequests(LIMITS);
        // all the bytes are in the buffer from the start; the limit moves forward piece by piece,
        // so that the parser sees them arrive without any copying (a fuzzer's inputs are many)
        ByteBuffer buf = ByteBuffer.wrap(raw).limit(0);
        int heads = 0;
        int ends = 0;
        long bodyBytes = 0;
        int hash = 1;
        int off = 0;
        int k = 0;
        try {
            boolean closed = false;
            while (true) {
                if (off < raw.length) {
                    int n = Math.min(sizes[k++ % sizes.length], raw.length - off);
                    off += n;
                    buf.limit(off);
                } else if (!closed) {
                    p.eof();
                    closed = true;
                } else {
                    break;
                }
                loop:
                while (true) {
                    H1Parser.Event e = p.next(buf);
                    switch (e) {
                        case NEED_DATA -> {
                            if (buf.remaining() > MAX_HELD) {
                                throw new AssertionError("the parser holds " + buf.remaining() + " bytes back");
                            }
                            break loop;
                        }
                        case HEAD -> {
                            heads++;
                            MessageHead h = p.head();
                            if (h.method() == null || h.target() == null || h.headers() == null) {
                                throw new AssertionError("an incomplete head: " + h);
                            }
                        }
                        case BODY -> {
                            ByteBuffer b = p.body();
                            bodyBytes += b.remaining();
                            while (b.hasRemaining()) {
                                hash = 31 * hash + b.get();
                            }
                            if (bodyBytes > LIMITS.maxBody()) {
                                throw new AssertionError("a body beyond the limit was delivered");
                            }
                        }
                        case END -> ends++;
                        default -> throw new AssertionError(e);
                    }
                }
                if (closed) {
                    break;
                }
            }
            return new Outcome(0, heads, ends, bodyBytes, hash);
        } catch (HttpParseException e) {
            if (e.status() < 400 || e.status() > 599) {
                throw new AssertionError("a parse error with status " + e.status());
            }
            return new Outcome(e.status(), heads, ends, bodyBytes, hash);
        }
    }
}
