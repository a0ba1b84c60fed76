package io.asyncio4j.http.ws;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.internal.ws.Frames;
import io.asyncio4j.http.internal.ws.PerMessageDeflate;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.Server;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Autobahn's categories against our client: a scripted server answers the handshake, sends the
 * case's frames (valid or not), and records what our client sends back; the client echoes every
 * message, as Autobahn's client tests expect. Each case checks the echoes and, for a violation,
 * the close code our client fails the connection with, and that every client frame is masked.
 */
class ClientConformanceTest {
    static final int FIN = 0x80;

    /** A client frame, unmasked. */
    record Got(int b0, byte[] payload, int key) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** Runs a case: the server sends {@code script} after the 101 and returns what the client sent. */
    static List<Got> run(byte[] script, String extensions, WsOptions options) throws Exception {
        List<Got> got = new ArrayList<>();
        Server server = Streams.startServer((reader, writer) -> {
            byte[] head = reader.readUntil("\r\n\r\n".getBytes(ISO_8859_1));
            String key = new String(head, ISO_8859_1).lines()
                    .filter(l -> l.toLowerCase().startsWith("sec-websocket-key:")).findFirst().orElseThrow()
                    .substring(18).strip();
            writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Frames.acceptFor(key) + "\r\n"
                    + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n")
                    .getBytes(ISO_8859_1));
            writer.write(script);
            try {
                while (true) {
                    Got g = readClientFrame(reader);
                    got.add(g);
                    if ((g.b0() & 0x0F) == 0x8) {
                        writer.write(RawClient.frame(FIN | 0x8, false, g.payload()));
                        break;
                    }
                }
            } catch (java.io.IOException e) {
                // the client closed the connection
            }
            writer.close();
        }, "127.0.0.1", 0);
        try {
            int port = ((InetSocketAddress) server.sockets().get(0)).getPort();
            try (WebSocket ws = WebSocket.connect("ws://127.0.0.1:" + port + "/", options)) {
                Asyncio.waitFor(() -> {
                    for (WsMessage m : ws) {
                        switch (m) {
                            case WsMessage.Text t -> ws.sendText(t.data());
                            case WsMessage.Binary b -> ws.sendBinary(b.data());
                            default -> {
                            }
                        }
                    }
                    return null;
                }, Duration.ofSeconds(10));
            }
            Asyncio.sleep(Duration.ofMillis(10));
        } finally {
            server.close();
            server.waitClosed();
        }
        return got;
    }

    static List<Got> run(byte[] script) throws Exception {
        return run(script, null, WsOptions.defaults().withCompression(false).withMaxMessageSize(16 << 20));
    }

    static Got readClientFrame(StreamReader r) throws java.io.IOException {
        byte[] h = r.readExactly(2);
        if ((h[1] & 0x80) == 0) {
            throw new AssertionError("a client frame is not masked");
        }
        long len = h[1] & 0x7F;
        if (len == 126) {
            byte[] e = r.readExactly(2);
            len = ((e[0] & 0xFF) << 8) | (e[1] & 0xFF);
        } else if (len == 127) {
            len = java.nio.ByteBuffer.wrap(r.readExactly(8)).getLong();
        }
        byte[] k = r.readExactly(4);
        int key = java.nio.ByteBuffer.wrap(k).getInt();
        byte[] p = r.readExactly((int) len);
        Frames.mask(p, 0, p.length, key, 0);
        return new Got(h[0] & 0xFF, p, key);
    }

    static byte[] frames(byte[]... fs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] f : fs) {
            b.writeBytes(f);
        }
        return b.toByteArray();
    }

    static byte[] f(int b0, byte[] payload) {
        return RawClient.frame(b0, false, payload);
    }

    static byte[] close(int code) {
        return f(FIN | 0x8, new byte[] {(byte) (code >> 8), (byte) code});
    }

    static void assertFailedWith(int code, List<Got> got, String what) {
        Got last = got.get(got.size() - 1);
        assertEquals(FIN | 0x8, last.b0(), what + ": the client's last frame is a close");
        assertEquals(code, last.closeCode(), what);
    }

    @HttpTest
    void framingEchoesEveryLengthClassMaskedWithFreshKeys() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        for (int n : new int[] {0, 125, 126, 127, 128, 65535, 65536}) {
            byte[] b = ServerConformanceTest.bytes(n, n);
            sent.add(b);
            script.writeBytes(f(FIN | 0x2, b));
        }
        script.writeBytes(close(1000));
        List<Got> got = run(script.toByteArray());
        assertEquals(sent.size() + 1, got.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(FIN | 0x2, got.get(i).b0());
            assertArrayEquals(sent.get(i), got.get(i).payload());
        }
        assertEquals(1000, got.get(sent.size()).closeCode(), "the client answered the close with its code");
        assertEquals(got.size(), got.stream().mapToInt(Got::key).distinct().count(), "a fresh mask key per frame");
    }

    @HttpTest
    void pingsGetPongsAndFragmentsAreReassembled() throws Exception {
        List<Got> got = run(frames(f(FIN | 0x9, "hb".getBytes(UTF_8)), f(0x1, "frag".getBytes(UTF_8)),
                f(FIN | 0x9, "mid".getBytes(UTF_8)), f(FIN, "ment".getBytes(UTF_8)), f(FIN | 0xA, new byte[0]),
                close(1000)));
        assertEquals(FIN | 0xA, got.get(0).b0());
        assertArrayEquals("hb".getBytes(UTF_8), got.get(0).payload());
        assertEquals(FIN | 0xA, got.get(1).b0());
        assertArrayEquals("mid".getBytes(UTF_8), got.get(1).payload());
        assertEquals(FIN | 0x1, got.get(2).b0());
        assertEquals("fragment", new String(got.get(2).payload(), UTF_8));
        assertEquals(1000, got.get(3).closeCode());
    }

    @HttpTest
    void violationsFailTheConnectionWithTheirCodes() throws Exception {
        List<Object[]> cases = List.of(
                new Object[] {"a masked server frame", RawClient.frame(FIN | 0x1, true, "m".getBytes(UTF_8)), 1002},
                new Object[] {"RSV1 without an extension", f(FIN | 0x40 | 0x1, "r".getBytes(UTF_8)), 1002},
                new Object[] {"RSV2", f(FIN | 0x20 | 0x1, "r".getBytes(UTF_8)), 1002},
                new Object[] {"RSV3", f(FIN | 0x10 | 0x2, "r".getBytes(UTF_8)), 1002},
                new Object[] {"opcode 3", f(FIN | 0x3, new byte[0]), 1002},
                new Object[] {"opcode 7", f(FIN | 0x7, new byte[0]), 1002},
                new Object[] {"opcode 11", f(FIN | 0xB, new byte[0]), 1002},
                new Object[] {"opcode 15", f(FIN | 0xF, new byte[0]), 1002},
                new Object[] {"a fragmented ping", f(0x9, new byte[0]), 1002},
                new Object[] {"a ping of 126 bytes", f(FIN | 0x9, new byte[126]), 1002},
                new Object[] {"a continuation with no message", f(FIN, "c".getBytes(UTF_8)), 1002},
                new Object[] {"a new message inside one", frames(f(0x1, "a".getBytes(UTF_8)), f(FIN | 0x1,
                    "b".getBytes(UTF_8))), 1002},
                new Object[] {"close code 1005", close(1005), 1002},
                new Object[] {"close code 999", close(999), 1002},
                new Object[] {"close code 5000", close(5000), 1002},
                new Object[] {"a one-byte close", f(FIN | 0x8, new byte[] {3}), 1002},
                new Object[] {"a length not in its shortest form", HexFormat.of().parseHex("827e0005") , 1002},
                new Object[] {"a close reason not UTF-8", f(FIN | 0x8, HexFormat.of().parseHex("03e8eda080")), 1007});
        for (Object[] c : cases) {
            List<Got> got = run(frames((byte[]) c[1], new byte[] {1, 2, 3, 4, 5}));
            assertFailedWith((Integer) c[2], got, (String) c[0]);
        }
        for (String hex : ServerConformanceTest.INVALID_UTF8) {
            byte[] bad = HexFormat.of().parseHex(hex.replace(" ", ""));
            assertFailedWith(1007, run(f(FIN | 0x1, bad)), "invalid UTF-8 " + hex);
            ByteArrayOutputStream split = new ByteArrayOutputStream();
            for (int i = 0; i < bad.length; i++) {
                split.writeBytes(f(i == 0 ? 0x1 : 0, new byte[] {bad[i]}));
            }
            split.writeBytes(f(FIN, new byte[0]));
            assertFailedWith(1007, run(split.toByteArray()), "invalid UTF-8 in one-byte fragments " + hex);
        }
    }

    @HttpTest
    void closeCodesFromTheServerAreAnswered() throws Exception {
        for (int code : new int[] {1000, 1001, 1003, 1008, 1011, 3000, 4999}) {
            List<Got> got = run(close(code));
            assertEquals(1, got.size());
            assertEquals(code, got.get(0).closeCode());
        }
        List<Got> got = run(f(FIN | 0x8, new byte[0]));
        assertEquals(0, got.get(0).payload().length, "a close with no code is answered with none");
    }

    @HttpTest
    void largeMessagesAndTheLimit() throws Exception {
        byte[] big = ServerConformanceTest.bytes(1 << 20, 9);
        List<Got> got = run(frames(f(FIN | 0x2, big), close(1000)));
        assertArrayEquals(big, got.get(0).payload());
        got = run(f(FIN | 0x2, new byte[5000]), null, WsOptions.defaults().withCompression(false).withMaxMessageSize(4096));
        assertFailedWith(1009, got, "over the client's limit");
    }

    @HttpTest
    void compressedMessagesFromTheServerAreInflatedAndEchoedCompressed() throws Exception {
        for (String ext : new String[] {"permessage-deflate", "permessage-deflate; server_no_context_takeover",
            "permessage-deflate; client_no_context_takeover", "permessage-deflate; server_max_window_bits=9"}) {
            boolean snct = ext.contains("server_no_context");
            boolean cnct = ext.contains("client_no_context");
            PerMessageDeflate server = new PerMessageDeflate(new PerMessageDeflate.Params(snct, cnct, 15, 15), true, 6);
            PerMessageDeflate check = new PerMessageDeflate(new PerMessageDeflate.Params(snct, cnct, 15, 15), true, 6);
            ByteArrayOutputStream script = new ByteArrayOutputStream();
            List<byte[]> msgs = new ArrayList<>();
            for (int n : new int[] {0, 10, 1000, 100_000}) {
                for (int rep = 0; rep < 2; rep++) {
                    byte[] m = "abcabcabd".repeat(n / 9 + 1).substring(0, n).getBytes(UTF_8);
                    msgs.add(m);
                    byte[] z = server.deflate(m, 0, m.length);
                    script.writeBytes(f(FIN | 0x40 | 0x1, z));
                }
            }
            script.writeBytes(close(1000));
            List<Got> got = run(script.toByteArray(), ext, WsOptions.defaults());
            assertEquals(msgs.size() + 1, got.size(), ext);
            for (int i = 0; i < msgs.size(); i++) {
                assertEquals(FIN | 0x40 | 0x1, got.get(i).b0(), "compressed echo " + ext);
                byte[] p = got.get(i).payload();
                assertArrayEquals(msgs.get(i), check.inflate(p, p.length, 1 << 24), ext);
            }
            server.close();
            check.close();
        }
    }

    @HttpTest
    void answersTheClientCannotHonourFailTheHandshake() throws Exception {
        for (String ext : new String[] {"permessage-deflate; client_max_window_bits=10", "x-unknown",
            "permessage-deflate; bogus", "permessage-deflate, permessage-deflate"}) {
            Server server = Streams.startServer((reader, writer) -> {
                byte[] head = reader.readUntil("\r\n\r\n".getBytes(ISO_8859_1));
                String key = new String(head, ISO_8859_1).lines()
                        .filter(l -> l.toLowerCase().startsWith("sec-websocket-key:")).findFirst().orElseThrow()
                        .substring(18).strip();
                writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + Frames.acceptFor(key) + "\r\nSec-WebSocket-Extensions: " + ext
                        + "\r\n\r\n").getBytes(ISO_8859_1));
                while (reader.read(100).length > 0) {
                    // until the client drops it
                }
                writer.close();
            }, "127.0.0.1", 0);
            int port = ((InetSocketAddress) server.sockets().get(0)).getPort();
            WsHandshakeException e = org.junit.jupiter.api.Assertions.assertThrows(WsHandshakeException.class,
                    () -> WebSocket.connect("ws://127.0.0.1:" + port + "/"));
            assertNotEquals(-1, e.getMessage().indexOf("101"), e.getMessage());
            server.close();
            server.waitClosed();
        }
    }

    @HttpTest
    void aWrongAcceptValueFailsTheHandshake() throws Exception {
        Server server = Streams.startServer((reader, writer) -> {
            reader.readUntil("\r\n\r\n".getBytes(ISO_8859_1));
            writer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Frames.acceptFor("wrong") + "\r\n\r\n").getBytes(ISO_8859_1));
            while (reader.read(100).length > 0) {
                // until the client drops it
            }
            writer.close();
        }, "127.0.0.1", 0);
        int port = ((InetSocketAddress) server.sockets().get(0)).getPort();
        WsHandshakeException e = org.junit.jupiter.api.Assertions.assertThrows(WsHandshakeException.class,
                () -> WebSocket.connect("ws://127.0.0.1:" + port + "/"));
        assertTrue(e.getMessage().contains("Sec-WebSocket-Accept"), e.getMessage());
        server.close();
        server.waitClosed();
    }
}
