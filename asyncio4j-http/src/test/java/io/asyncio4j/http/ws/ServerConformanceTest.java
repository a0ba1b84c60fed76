package io.asyncio4j.http.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.internal.ws.PerMessageDeflate;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.testing.HttpTest;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The categories of the Autobahn test suite, ported as our own cases and run against our server
 * (an echo endpoint, as Autobahn's fuzzing client expects): each case sends frames byte by byte as
 * Autobahn does and checks what the server must answer: the echo, a pong, or a close with the
 * code the RFC calls for, and the connection closed. Sizes of 9.x are smaller than Autobahn's
 * here; {@code ConformanceStressTest} runs the full sizes.
 */
class ServerConformanceTest {
    static final int FIN = 0x80;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static AppRunner echo(WsOptions o) throws Exception {
        return WebSocketTest.serve(WebSocketTest.echoApp(o));
    }

    static AppRunner echo() throws Exception {
        return echo(WsOptions.defaults().withCompression(false).withMaxMessageSize(16 * 1024 * 1024));
    }

    static RawClient open(AppRunner r) throws Exception {
        return RawClient.open(r.sites().get(0).port(), "/echo", null);
    }

    static void expectEcho(RawClient c, int opcode, byte[] payload) throws Exception {
        RawClient.Frame f = c.readFrame();
        assertEquals(FIN | opcode, f.b0(), "the echo's first byte");
        assertArrayEquals(payload, f.payload(), "the echo's payload");
    }

    static void expectClose(RawClient c, int code) throws Exception {
        RawClient.Frame f = c.readFrame();
        assertEquals(FIN | CLOSE, f.b0(), "a close frame, not " + f);
        assertEquals(code, f.closeCode(), "the close code (reason: " + (f.payload().length > 2
                ? new String(f.payload(), 2, f.payload().length - 2, UTF_8) : "") + ")");
        assertTrue(c.atEof(), "the server closed the connection after its close frame");
    }

    /** Closes normally: sends close 1000, expects it back and the connection closed. */
    static void closeNormally(RawClient c) throws Exception {
        c.send(FIN | CLOSE, new byte[] {0x03, (byte) 0xE8});
        expectClose(c, 1000);
        c.close();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] text(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) '*');
        return b;
    }

    /** Sends a frame in pieces of {@code piece} bytes with a yield between them (Autobahn's "chopped" cases). */
    static void sendChopped(RawClient c, byte[] frame, int piece) throws Exception {
        for (int i = 0; i < frame.length; i += piece) {
            c.sendRaw(Arrays.copyOfRange(frame, i, Math.min(frame.length, i + piece)));
            Asyncio.sleep(Duration.ZERO);
        }
    }

    // ------------------------------------------------------------------ 1.x framing

    @HttpTest
    void framingTextAndBinaryOfEveryLengthClassEcho() throws Exception {
        try (AppRunner r = echo()) {
            RawClient c = open(r);
            for (int n : new int[] {0, 125, 126, 127, 128, 65535, 65536}) {
                c.send(FIN | TEXT, text(n));
                expectEcho(c, TEXT, text(n));
                c.send(FIN | BINARY, bytes(n, n));
                expectEcho(c, BINARY, bytes(n, n));
            }
            // 1.1.8 / 1.2.8: a 64 KiB message sent in 997-byte pieces
            sendChopped(c, RawClient.frame(FIN | BINARY, true, bytes(65536, 8)), 997);
            expectEcho(c, BINARY, bytes(65536, 8));
            closeNormally(c);
        }
    }

    // ------------------------------------------------------------------ 2.x ping/pong

    @HttpTest
    void pingsAreAnsweredWithTheirPayloadAndLongOnesFail() throws Exception {
        try (AppRunner r = echo()) {
            RawClient c = open(r);
            c.send(FIN | PING, new byte[0]);                                  // 2.1
            expectEcho(c, PONG, new byte[0]);
            c.send(FIN | PING, "Hello, world!".getBytes(UTF_8));             // 2.2
            expectEcho(c, PONG, "Hello, world!".getBytes(UTF_8));
            c.send(FIN | PING, HexFormat.of().parseHex("00ff fe fd fc fb 00 ff".replace(" ", "")));  // 2.3
            expectEcho(c, PONG, HexFormat.of().parseHex("00fffefdfcfb00ff"));
            c.send(FIN | PING, bytes(125, 4));                                // 2.4
            expectEcho(c, PONG, bytes(125, 4));
            c.send(FIN | PONG, "unsolicited".getBytes(UTF_8));               // 2.7: ignored
            for (int i = 0; i < 10; i++) {                                    // 2.10
                c.send(FIN | PING, ("p" + i).getBytes(UTF_8));
            }
            for (int i = 0; i < 10; i++) {
                expectEcho(c, PONG, ("p" + i).getBytes(UTF_8));
            }
            sendChopped(c, RawClient.frame(FIN | PING, true, "chopped".getBytes(UTF_8)), 1);  // 2.6
            expectEcho(c, PONG, "chopped".getBytes(UTF_8));
            c.send(FIN | PING, bytes(126, 5));                                // 2.5
            expectClose(c, 1002);
            c.close();
        }
    }

    // ------------------------------------------------------------------ 3.x reserved bits

    @HttpTest
    void reservedBitsFailTheConnectionAfterWhatCameBefore() throws Exception {
        int[] rsv = {0x40, 0x20, 0x60, 0x10, 0x50, 0x30, 0x70};
        try (AppRunner r = echo()) {
            for (int bits : rsv) {
                RawClient c = open(r);
                c.send(FIN | TEXT, "before".getBytes(UTF_8));                 // 3.2: the echo comes first
                c.send(FIN | bits | TEXT, "bad".getBytes(UTF_8));
                c.send(FIN | PING, new byte[0]);                              // not answered: the connection failed
                expectEcho(c, TEXT, "before".getBytes(UTF_8));
                expectClose(c, 1002);
                c.close();
            }
            RawClient c = open(r);
            c.send(FIN | 0x70 | PING, new byte[0]);                           // 3.7: on a control frame
            expectClose(c, 1002);
            c.close();
        }
    }

    // ------------------------------------------------------------------ 4.x opcodes

    @HttpTest
    void unknownOpcodesFailTheConnection() throws Exception {
        try (AppRunner r = echo()) {
            for (int op : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
                RawClient c = open(r);
                c.send(FIN | TEXT, "x".getBytes(UTF_8));
                c.send(FIN | op, "payload".getBytes(UTF_8));
                expectEcho(c, TEXT, "x".getBytes(UTF_8));
                expectClose(c, 1002);
                c.close();
            }
        }
    }

    // ------------------------------------------------------------------ 5.x fragmentation

    @HttpTest
    void fragmentedMessagesAreReassembledWithControlFramesBetween() throws Exception {
        try (AppRunner r = echo()) {
            RawClient c = open(r);
            c.send(TEXT, "frag".getBytes(UTF_8));                             // 5.3
            c.send(FIN, "ment".getBytes(UTF_8));
            expectEcho(c, TEXT, "fragment".getBytes(UTF_8));
            c.send(BINARY, bytes(10, 1));                                     // 5.6: a ping between fragments
            c.send(FIN | PING, "between".getBytes(UTF_8));
            c.send(0, bytes(10, 2));
            c.send(FIN, bytes(10, 3));
            expectEcho(c, PONG, "between".getBytes(UTF_8));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(bytes(10, 1));
            all.write(bytes(10, 2));
            all.write(bytes(10, 3));
            expectEcho(c, BINARY, all.toByteArray());
            c.send(TEXT, new byte[0]);                                        // 5.18: empty fragments
            c.send(0, new byte[0]);
            c.send(FIN, new byte[0]);
            expectEcho(c, TEXT, new byte[0]);
            for (int i = 0; i < 100; i++) {                                   // many fragments, one byte each
                c.send(i == 0 ? TEXT : 0, new byte[] {'a'});
            }
            c.send(FIN, new byte[0]);
            expectEcho(c, TEXT, text(100).clone().length == 100 ? "a".repeat(100).getBytes(UTF_8) : null);
            closeNormally(c);
        }
    }

    @HttpTest
    void fragmentationErrorsFailTheConnection() throws Exception {
        List<byte[][]> cases = List.of(
                new byte[][] {RawClient.frame(PING, true, "a".getBytes(UTF_8)), RawClient.frame(FIN, true, new byte[0])},
                new byte[][] {RawClient.frame(PONG, true, "a".getBytes(UTF_8))},
                new byte[][] {RawClient.frame(FIN, true, "no start".getBytes(UTF_8))},
                new byte[][] {RawClient.frame(0, true, "no start".getBytes(UTF_8))},
                new byte[][] {RawClient.frame(TEXT, true, "a".getBytes(UTF_8)),
                    RawClient.frame(FIN | TEXT, true, "new message inside".getBytes(UTF_8))},
                new byte[][] {RawClient.frame(TEXT, true, "a".getBytes(UTF_8)),
                    RawClient.frame(FIN | BINARY, true, "b".getBytes(UTF_8))},
                new byte[][] {RawClient.frame(FIN | CLOSE & 0x0F, true, new byte[] {0x03, (byte) 0xE8})});
        try (AppRunner r = echo()) {
            for (int i = 0; i < cases.size() - 1; i++) {
                RawClient c = open(r);
                for (byte[] f : cases.get(i)) {
                    c.sendRaw(f);
                }
                expectClose(c, 1002);
                c.close();
            }
            RawClient c = open(r);                                            // 5.x: a non-FIN close frame
            c.sendRaw(RawClient.frame(CLOSE, true, new byte[] {0x03, (byte) 0xE8}));
            expectClose(c, 1002);
            c.close();
        }
    }

    // ------------------------------------------------------------------ 6.x UTF-8

    static final List<String> INVALID_UTF8 = List.of(
            "c0af", "e080af", "f08080af", "f8888080af", "c1bf", "e09f bf", "f08fbfbf",   // overlong
            "eda080", "edadbf", "edb080", "edbfbf", "eda080edb080",                      // surrogates
            "f4908080", "f5", "ff", "fe", "80", "bf", "c2", "e282", "f09f98",           // range, stray, truncated
            "cebae1bdb9cf83cebcceb5eda080656469746564");                                 // 6.3: valid then bad

    @HttpTest
    void invalidUtf8FailsWith1007WholeOrInFragments() throws Exception {
        try (AppRunner r = echo()) {
            for (String hex : INVALID_UTF8) {
                byte[] bad = HexFormat.of().parseHex(hex.replace(" ", ""));
                RawClient c = open(r);
                c.send(FIN | TEXT, bad);
                expectClose(c, 1007);
                c.close();
                // the same bytes split into one-byte fragments: fail fast, at the first bad byte
                c = open(r);
                for (int i = 0; i < bad.length; i++) {
                    c.send(i == 0 ? TEXT : 0, new byte[] {bad[i]});
                }
                c.send(FIN, new byte[0]);
                expectClose(c, 1007);
                c.close();
            }
        }
    }

    @HttpTest
    void validUtf8EchoesEvenSplitInsideCharacters() throws Exception {
        String[] samples = {"κόσμε", "Hello-µ@ßöäüàá-UTF-8!!", "\u0000", "\u007f\u0080\u07ff\u0800\uffff",
            new String(Character.toChars(0x10000)) + new String(Character.toChars(0x10FFFF)), "\ufeff", "\ud7ff\ue000"};
        try (AppRunner r = echo()) {
            RawClient c = open(r);
            for (String s : samples) {
                byte[] b = s.getBytes(UTF_8);
                c.send(FIN | TEXT, b);
                expectEcho(c, TEXT, b);
                for (int i = 0; i < b.length; i++) {                          // 6.2.x: one byte per fragment
                    c.send((i == 0 ? TEXT : 0) | (i == b.length - 1 ? FIN : 0), new byte[] {b[i]});
                }
                expectEcho(c, TEXT, b);
            }
            closeNormally(c);
        }
    }

    // ------------------------------------------------------------------ 7.x close

    @HttpTest
    void closeCodesAreEchoedOrRefused() throws Exception {
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
        try (AppRunner r = echo()) {
            for (int code : valid) {
                RawClient c = open(r);
                c.send(FIN | CLOSE, new byte[] {(byte) (code >> 8), (byte) code, 'o', 'k'});
                expectClose(c, code);
                c.close();
            }
            for (int code : invalid) {
                RawClient c = open(r);
                c.send(FIN | CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
                expectClose(c, 1002);
                c.close();
            }
            RawClient c = open(r);                                            // 7.3.1: no payload
            c.send(FIN | CLOSE, new byte[0]);
            RawClient.Frame f = c.readFrame();
            assertEquals(FIN | CLOSE, f.b0());
            assertEquals(0, f.payload().length, "a close with no code is answered with none");
            assertTrue(c.atEof());
            c.close();
            c = open(r);                                                      // 7.3.2: one byte
            c.send(FIN | CLOSE, new byte[] {0x03});
            expectClose(c, 1002);
            c.close();
            c = open(r);                                                      // 7.3.4: a 123-byte reason
            byte[] p = new byte[125];
            p[0] = 0x03;
            p[1] = (byte) 0xE8;
            Arrays.fill(p, 2, 125, (byte) 'r');
            c.send(FIN | CLOSE, p);
            expectClose(c, 1000);
            c.close();
            c = open(r);                                                      // 7.5.1: a reason that is not UTF-8
            c.send(FIN | CLOSE, HexFormat.of().parseHex("03e8cebae1bdb9cf83cebcceb5eda080656469746564"));
            expectClose(c, 1007);
            c.close();
            c = open(r);                                                      // 7.1.x: nothing after the close counts
            c.send(FIN | CLOSE, new byte[] {0x03, (byte) 0xE8});
            c.send(FIN | TEXT, "after close".getBytes(UTF_8));
            c.send(FIN | PING, new byte[0]);
            expectClose(c, 1000);
            c.close();
        }
    }

    // ------------------------------------------------------------------ 9.x limits

    @HttpTest
    void largeMessagesEchoInOneFrameAndInFragments() throws Exception {
        largeMessages(new int[] {64 * 1024, 256 * 1024, 1024 * 1024}, new int[] {64, 4096, 65536});
    }

    static void largeMessages(int[] sizes, int[] fragmentSizes) throws Exception {
        try (AppRunner r = echo()) {
            RawClient c = open(r);
            for (int n : sizes) {
                byte[] t = text(n);
                c.send(FIN | TEXT, t);                                        // 9.1
                expectEcho(c, TEXT, t);
                byte[] b = bytes(n, n);
                c.send(FIN | BINARY, b);                                      // 9.2
                expectEcho(c, BINARY, b);
                for (int fs : fragmentSizes) {                                // 9.3/9.4
                    for (int i = 0; i < n; i += fs) {
                        int end = Math.min(n, i + fs);
                        c.send((i == 0 ? BINARY : 0) | (end == n ? FIN : 0), Arrays.copyOfRange(b, i, end));
                    }
                    expectEcho(c, BINARY, b);
                }
            }
            closeNormally(c);
        }
    }

    @HttpTest
    void aMessageOverTheLimitIsRefusedBeforeItsPayloadArrives() throws Exception {
        try (AppRunner r = echo(WsOptions.defaults().withCompression(false).withMaxMessageSize(4096))) {
            RawClient c = open(r);
            byte[] f = RawClient.frame(FIN | BINARY, true, new byte[4097]);
            c.sendRaw(Arrays.copyOf(f, 20));                                  // only the header and a little
            expectClose(c, 1009);
            c.close();
            c = open(r);                                                      // the sum of fragments counts
            c.send(BINARY, new byte[4000]);
            c.send(FIN, new byte[97]);
            expectClose(c, 1009);
            c.close();
        }
    }

    // ------------------------------------------------------------------ 12.x/13.x compression

    static RawClient openDeflate(AppRunner r, String offer) throws Exception {
        RawClient c = RawClient.open(r.sites().get(0).port(), "/echo", "Sec-WebSocket-Extensions: " + offer + "\r\n");
        return c;
    }

    @HttpTest
    void compressedMessagesEchoCompressedWithEveryAcceptedOffer() throws Exception {
        String[] offers = {"permessage-deflate", "permessage-deflate; client_max_window_bits",
            "permessage-deflate; client_no_context_takeover", "permessage-deflate; server_no_context_takeover",
            "permessage-deflate; server_max_window_bits=15; client_max_window_bits=9",
            "permessage-deflate; server_max_window_bits=10, permessage-deflate"};
        boolean[][] takeover = {{false, false}, {false, false}, {false, true}, {true, false}, {false, false},
            {false, false}};
        try (AppRunner r = echo(WsOptions.defaults().withMaxMessageSize(16 * 1024 * 1024))) {
            for (int k = 0; k < offers.length; k++) {
                RawClient c = openDeflate(r, offers[k]);
                PerMessageDeflate.Params p = new PerMessageDeflate.Params(takeover[k][0], takeover[k][1], 15, 15);
                PerMessageDeflate ours = new PerMessageDeflate(p, false, 6);
                for (int n : new int[] {0, 16, 64, 256, 1024, 4096, 65536, 131072}) {   // 12.1.x sizes
                    for (int rep = 0; rep < 3; rep++) {
                        byte[] msg = ("compress me " + n + " ").repeat(n / 12 + 1).substring(0, n).getBytes(UTF_8);
                        byte[] z = ours.deflate(msg, 0, msg.length);
                        c.send(FIN | 0x40 | TEXT, z);
                        RawClient.Frame f = c.readFrame();
                        assertEquals(FIN | 0x40 | TEXT, f.b0(), "the echo is compressed (RSV1)");
                        assertArrayEquals(msg, ours.inflate(f.payload(), f.payload().length, 1 << 24));
                    }
                }
                ours.close();
                closeNormally(c);
            }
        }
    }

    @HttpTest
    void offersTheJdkCannotHonourAreDeclined() throws Exception {
        try (AppRunner r = echo(WsOptions.defaults())) {
            int port = r.sites().get(0).port();
            String head = RawClient.handshakeStatus(port, "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(!head.toLowerCase().contains("sec-websocket-extensions"), "declined: " + head);
            head = RawClient.handshakeStatus(port, "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; unknown_param\r\n\r\n");
            assertTrue(!head.toLowerCase().contains("sec-websocket-extensions"), "declined: " + head);
        }
    }

    @HttpTest
    void compressedGarbageAndBadCompressedTextFail() throws Exception {
        try (AppRunner r = echo(WsOptions.defaults())) {
            RawClient c = openDeflate(r, "permessage-deflate");
            c.send(FIN | 0x40 | TEXT, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00, 0x12});
            expectClose(c, 1007);
            c.close();
            c = openDeflate(r, "permessage-deflate");
            PerMessageDeflate ours = new PerMessageDeflate(new PerMessageDeflate.Params(false, false, 15, 15), false, 6);
            byte[] bad = HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5eda080");
            c.send(FIN | 0x40 | TEXT, ours.deflate(bad, 0, bad.length));
            expectClose(c, 1007);
            ours.close();
            c.close();
            c = openDeflate(r, "permessage-deflate");                          // RSV1 on a continuation
            c.send(0x40 | TEXT, new byte[] {0});
            c.send(FIN | 0x40, new byte[] {0});
            expectClose(c, 1002);
            c.close();
        }
        try (AppRunner r = echo(WsOptions.defaults().withMaxMessageSize(10_000))) {
            RawClient c = openDeflate(r, "permessage-deflate");                // a zip bomb: small in, large out
            PerMessageDeflate ours = new PerMessageDeflate(new PerMessageDeflate.Params(false, false, 15, 15), false, 9);
            byte[] big = new byte[1_000_000];
            byte[] z = ours.deflate(big, 0, big.length);
            assertTrue(z.length < 10_000);
            c.send(FIN | 0x40 | BINARY, z);
            expectClose(c, 1009);
            ours.close();
            c.close();
        }
    }
}
