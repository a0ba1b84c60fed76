package io.asyncio4j.http.internal.ws;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.Arrays;

/*
 * Implementation overview
 *
 * A push decoder of RFC 6455 frames with no I/O: feed() takes whatever bytes arrived, consumes
 * what it can, and reports complete messages and control frames to a Handler; the bytes of a
 * header not yet complete stay in the caller's buffer (a header is at most 14 bytes), while a
 * payload is consumed as it arrives, so the caller's buffer never has to hold a frame.
 *
 *   HEADER --(2..14 bytes, checked)--> PAYLOAD --(length bytes, unmasked)--> frame done --> HEADER
 *
 * A data frame's payload goes straight into the array delivered: a whole message in one frame
 * is copied once, into an array of its exact size; fragments append to a growing array. Text
 * is validated as it arrives (fail fast, across fragments: a sequence split over two frames is
 * checked as one); a compressed message (RSV1 on its first frame, permessage-deflate
 * negotiated) is inflated at its end and validated then.
 *
 * Strict by design: every rule the RFC states with MUST is enforced and fails the connection
 * with its close code (WsProtocolException): reserved bits, unknown opcodes, fragmented or long
 * control frames, a continuation with no message, a new message inside one, the mask bit that
 * the side requires (clients mask, servers do not), non-minimal lengths and lengths with the
 * high bit, close codes and reasons, UTF-8, and the message size limit (checked on each header,
 * before its payload is read). After an exception the decoder is failed: feed() throws again.
 */

/** Decodes WebSocket frames into messages (RFC 6455, with RFC 7692's compressed messages). */
public final class FrameDecoder {
    /** Receives what the decoder decodes. */
    public interface Handler {
        /**
         * A complete data message.
         *
         * @param text whether it is text (validated UTF-8) or binary
         * @param data the payload (owned by the handler)
         */
        void messageReceived(boolean text, byte[] data);

        /**
         * A ping.
         *
         * @param payload its payload (0 to 125 bytes)
         */
        void pingReceived(byte[] payload);

        /**
         * A pong.
         *
         * @param payload its payload
         */
        void pongReceived(byte[] payload);

        /**
         * A close frame: the peer starts (or answers) the closing handshake.
         *
         * @param code its code, 1005 when it had none
         * @param reason its reason, "" when none
         */
        void closeReceived(int code, String reason);
    }

    private final boolean expectMasked;
    private final int maxMessage;
    private final PerMessageDeflate deflate;

    private boolean failed;
    private boolean closed;
    // the frame in progress (after its header)
    private boolean inPayload;
    private int opcode;
    private boolean fin;
    private boolean masked;
    private int key;
    private long remaining;
    private int keyPos;
    private byte[] target;
    private int targetPos;
    // the message in progress (fragmented or compressed)
    private boolean inMessage;
    private boolean messageText;
    private boolean compressed;
    private byte[] message;
    private int messageLen;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final byte[] control = new byte[Frames.MAX_CONTROL_PAYLOAD];

    /**
     * Makes a decoder.
     *
     * @param serverSide true on a server (frames must be masked), false on a client (they must not)
     * @param maxMessage the largest message in bytes (after inflation), 0 for no limit
     * @param deflate the negotiated permessage-deflate, or {@code null}
     */
    public FrameDecoder(boolean serverSide, int maxMessage, PerMessageDeflate deflate) {
        this.expectMasked = serverSide;
        this.maxMessage = maxMessage <= 0 ? Integer.MAX_VALUE - 16 : maxMessage;
        this.deflate = deflate;
    }

    /** {@return whether a close frame was decoded (nothing after it is read)} */
    public boolean closed() {
        return closed;
    }

    /**
     * Decodes what it can of the bytes between position and limit, and moves the position past
     * them; an incomplete header stays unconsumed. Bytes after a close frame are left unread.
     *
     * @param in the bytes
     * @param h the handler of what is decoded
     * @throws WsProtocolException if the peer broke the protocol
     */
    public void feed(ByteBuffer in, Handler h) throws WsProtocolException {
        if (failed) {
            throw new WsProtocolException(1002, "the connection failed already");
        }
        try {
            while (!closed) {
                if (!inPayload) {
                    if (!header(in)) {
                        return;
                    }
                }
                if (remaining > 0) {
                    int n = (int) Math.min(remaining, in.remaining());
                    if (n == 0) {
                        return;
                    }
                    in.get(target, targetPos, n);
                    if (masked) {
                        Frames.mask(target, targetPos, n, key, keyPos);
                        keyPos = (keyPos + n) & 3;
                    }
                    if (target != control && !compressed && messageText && !utf8.feed(target, targetPos, n)) {
                        throw new WsProtocolException(1007, "a text message is not valid UTF-8");
                    }
                    targetPos += n;
                    remaining -= n;
                    if (remaining > 0) {
                        return;
                    }
                }
                inPayload = false;
                frameDone(h);
            }
        } catch (WsProtocolException e) {
            failed = true;
            throw e;
        }
    }

    /** Reads a header if all of it is there; false if more bytes are needed. */
    private boolean header(ByteBuffer in) throws WsProtocolException {
        int avail = in.remaining();
        if (avail < 2) {
            return false;
        }
        int p = in.position();
        int b0 = in.get(p) & 0xFF;
        int b1 = in.get(p + 1) & 0xFF;
        int len7 = b1 & 0x7F;
        boolean m = (b1 & 0x80) != 0;
        int hlen = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (m ? 4 : 0);
        // check what the first two bytes say before waiting for the rest
        boolean f = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        int op = b0 & 0x0F;
        if ((b0 & 0x30) != 0) {
            throw new WsProtocolException(1002, "reserved bits RSV2/RSV3 set with no extension that defines them");
        }
        if (m != expectMasked) {
            throw new WsProtocolException(1002, expectMasked ? "a client frame is not masked"
                    : "a server frame is masked");
        }
        boolean isControl = op >= 8;
        switch (op) {
            case Frames.CONTINUATION, Frames.TEXT, Frames.BINARY, Frames.CLOSE, Frames.PING, Frames.PONG -> {
            }
            default -> throw new WsProtocolException(1002, "unknown opcode " + op);
        }
        if (isControl) {
            if (!f) {
                throw new WsProtocolException(1002, "a fragmented control frame");
            }
            if (len7 > Frames.MAX_CONTROL_PAYLOAD) {
                throw new WsProtocolException(1002, "a control frame longer than 125 bytes");
            }
            if (rsv1) {
                throw new WsProtocolException(1002, "RSV1 set on a control frame");
            }
        } else if (op == Frames.CONTINUATION) {
            if (!inMessage) {
                throw new WsProtocolException(1002, "a continuation frame with no message to continue");
            }
            if (rsv1) {
                throw new WsProtocolException(1002, "RSV1 set on a continuation frame");
            }
        } else {
            if (inMessage) {
                throw new WsProtocolException(1002, "a new data frame inside a fragmented message");
            }
            if (rsv1 && deflate == null) {
                throw new WsProtocolException(1002, "RSV1 set with no extension negotiated");
            }
        }
        if (avail < hlen) {
            return false;
        }
        long len;
        int q = p + 2;
        if (len7 == 126) {
            len = ((in.get(q) & 0xFF) << 8) | (in.get(q + 1) & 0xFF);
            q += 2;
            if (len < 126) {
                throw new WsProtocolException(1002, "a frame length not in its shortest form");
            }
        } else if (len7 == 127) {
            len = in.getLong(q);
            q += 8;
            if (len < 0) {
                throw new WsProtocolException(1002, "a 64-bit frame length with the high bit set");
            }
            if (len <= 0xFFFF) {
                throw new WsProtocolException(1002, "a frame length not in its shortest form");
            }
        } else {
            len = len7;
        }
        if (m) {
            key = in.getInt(q);
            q += 4;
        }
        in.position(q);
        opcode = op;
        fin = f;
        masked = m;
        keyPos = 0;
        remaining = len;
        inPayload = true;
        if (isControl) {
            target = control;
            targetPos = 0;
            return true;
        }
        boolean first = op != Frames.CONTINUATION;
        if (first) {
            messageText = op == Frames.TEXT;
            compressed = rsv1;
            utf8.reset();
        }
        long total = (first ? 0 : messageLen) + len;
        if (!compressed && total > maxMessage) {
            throw new WsProtocolException(1009, "a message of more than " + maxMessage + " bytes");
        }
        if (compressed && total > maxMessage + (long) (maxMessage >> 8) + 64) {
            // deflate expands incompressible data by a few bytes per 16 KiB block at most
            throw new WsProtocolException(1009, "a compressed message of more than " + maxMessage + " bytes");
        }
        if (first && f && !compressed) {
            target = new byte[(int) len]; // a whole message in one frame: its own array, one copy
            targetPos = 0;
            return true;
        }
        if (first) {
            inMessage = true;
            messageLen = 0;
            if (message == null || message.length > 64 * 1024) {
                message = new byte[(int) Math.max(256, Math.min(total, 64 * 1024))];
            }
        }
        if (message.length < total) {
            message = Arrays.copyOf(message, (int) Math.min(Math.max(total, 2L * message.length), Integer.MAX_VALUE - 16));
        }
        target = message;
        targetPos = messageLen;
        return true;
    }

    private void frameDone(Handler h) throws WsProtocolException {
        switch (opcode) {
            case Frames.PING -> h.pingReceived(Arrays.copyOf(control, targetPos));
            case Frames.PONG -> h.pongReceived(Arrays.copyOf(control, targetPos));
            case Frames.CLOSE -> closeFrame(h);
            default -> dataFrame(h);
        }
    }

    private void closeFrame(Handler h) throws WsProtocolException {
        int n = targetPos;
        if (n == 1) {
            throw new WsProtocolException(1002, "a close frame with a one-byte payload");
        }
        int code = 1005;
        String reason = "";
        if (n >= 2) {
            code = ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
            if (!Frames.isValidCloseCode(code)) {
                throw new WsProtocolException(1002, "close code " + code + " is not one a peer may send");
            }
            if (!Utf8Validator.isValid(control, 2, n - 2)) {
                throw new WsProtocolException(1007, "a close reason is not valid UTF-8");
            }
            reason = new String(control, 2, n - 2, UTF_8);
        }
        closed = true;
        h.closeReceived(code, reason);
    }

    private void dataFrame(Handler h) throws WsProtocolException {
        if (target != message) {
            if (messageText && !utf8.complete()) {
                throw new WsProtocolException(1007, "a text message ends inside a UTF-8 sequence");
            }
            byte[] data = target;
            target = null;
            h.messageReceived(messageText, data);
            return;
        }
        messageLen = targetPos;
        if (!fin) {
            return;
        }
        inMessage = false;
        byte[] data;
        if (compressed) {
            data = deflate.inflate(message, messageLen, maxMessage);
            if (messageText && !Utf8Validator.isValid(data, 0, data.length)) {
                throw new WsProtocolException(1007, "a text message is not valid UTF-8");
            }
        } else {
            if (messageText && !utf8.complete()) {
                throw new WsProtocolException(1007, "a text message ends inside a UTF-8 sequence");
            }
            data = Arrays.copyOf(message, messageLen);
        }
        messageLen = 0;
        target = null;
        h.messageReceived(messageText, data);
    }
}
