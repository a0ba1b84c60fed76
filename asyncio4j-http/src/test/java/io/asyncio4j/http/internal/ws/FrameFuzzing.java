package io.asyncio4j.http.internal.ws;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fuzzing oracle of the frame decoder. For any bytes, on either side, with and without
 * permessage-deflate, the only allowed outcomes are decoded events or a
 * {@link WsProtocolException} with a close code the RFC allows for a failure (1002, 1007, 1009);
 * the bytes the decoder leaves unconsumed are at most a frame header (14 bytes: bounded memory);
 * text messages are valid UTF-8 and no message exceeds the limit; and the result is the same
 * whether the bytes arrive at once or in pieces (sizes chosen by the input's first byte).
 */
final class FrameFuzzing {
    private FrameFuzzing() {
    }

    static final int LIMIT = 4096;

    static void check(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int flags = input[0] & 0xFF;
        boolean server = (flags & 1) != 0;
        boolean deflate = (flags & 2) != 0;
        int piece = 1 + (flags >>> 2);
        byte[] raw = Arrays.copyOfRange(input, 1, input.length);
        String whole = run(raw, server, deflate, Integer.MAX_VALUE);
        String pieces = run(raw, server, deflate, piece);
        if (!whole.equals(pieces)) {
            throw new AssertionError("the outcome depends on how the bytes are split: whole " + whole
                    + ", in pieces of " + piece + " " + pieces);
        }
    }

    static String run(byte[] raw, boolean server, boolean deflate, int piece) {
        PerMessageDeflate pmd = deflate ? new PerMessageDeflate(new PerMessageDeflate.Params(false, false, 15, 15),
                server, 6) : null;
        FrameDecoder d = new FrameDecoder(server, LIMIT, pmd);
        List<String> events = new ArrayList<>();
        FrameDecoder.Handler h = new FrameDecoder.Handler() {
            @Override
            public void messageReceived(boolean text, byte[] data) {
                if (data.length > LIMIT) {
                    throw new AssertionError("a message over the limit: " + data.length);
                }
                if (text && !Utf8Validator.isValid(data, 0, data.length)) {
                    throw new AssertionError("a text message that is not UTF-8");
                }
                events.add((text ? "T" : "B") + Arrays.hashCode(data) + ":" + data.length);
            }

            @Override
            public void pingReceived(byte[] payload) {
                events.add("ping" + payload.length);
            }

            @Override
            public void pongReceived(byte[] payload) {
                events.add("pong" + payload.length);
            }

            @Override
            public void closeReceived(int code, String reason) {
                if (code != 1005 && !Frames.isValidCloseCode(code)) {
                    throw new AssertionError("an invalid close code was accepted: " + code);
                }
                events.add("close" + code + reason);
            }
        };
        ByteBuffer buf = ByteBuffer.allocate(raw.length + 16);
        buf.flip();
        int pos = 0;
        try {
            while (pos < raw.length) {
                int n = Math.min(piece, raw.length - pos);
                buf.compact();
                buf.put(raw, pos, n);
                buf.flip();
                pos += n;
                d.feed(buf, h);
                if (!d.closed() && buf.remaining() > 14) {
                    throw new AssertionError("the decoder holds " + buf.remaining() + " bytes back");
                }
            }
            return events + " ok";
        } catch (WsProtocolException e) {
            int c = e.closeCode();
            if (c != 1002 && c != 1007 && c != 1009) {
                throw new AssertionError("an unexpected close code " + c, e);
            }
            return events + " fail " + c;
        } finally {
            if (pmd != null) {
                pmd.close();
            }
        }
    }
}
