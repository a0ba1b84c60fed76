package io.asyncio4j.http.internal.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The codec without I/O: masking, encoding, the decoder's rules, UTF-8, deflate, and the fuzz oracle on random input. */
class FrameDecoderTest {

    @Test
    void maskingIsItsOwnInverseAtEveryOffsetAndKeyPosition() {
        Random r = new Random(7);
        for (int len = 0; len < 40; len++) {
            for (int kp = 0; kp < 4; kp++) {
                byte[] b = new byte[len + 3];
                r.nextBytes(b);
                byte[] orig = b.clone();
                int key = r.nextInt();
                Frames.mask(b, 3, len, key, kp);
                for (int i = 0; i < len; i++) {
                    int kb = (key >>> (24 - 8 * ((kp + i) & 3))) & 0xFF;
                    assertEquals((byte) (orig[3 + i] ^ kb), b[3 + i], "byte " + i + " of " + len + " at key position " + kp);
                }
                Frames.mask(b, 3, len, key, kp);
                assertArrayEquals(orig, b);
            }
        }
    }

    @Test
    void theAcceptValueIsRfc6455s() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Frames.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void utf8ValidationRejectsWhatTheRfcForbids() {
        byte[] ok = "κόσμε \u0000 \uffff".getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8Validator.isValid(ok, 0, ok.length));
        String[] bad = {"c0af", "e080af", "eda080", "f4908080", "f8", "80", "c2"};
        for (String h : bad) {
            byte[] b = java.util.HexFormat.of().parseHex(h);
            assertFalse(Utf8Validator.isValid(b, 0, b.length), h);
        }
        Utf8Validator v = new Utf8Validator();
        assertTrue(v.feed(new byte[] {(byte) 0xE2}, 0, 1));
        assertFalse(v.complete());
        assertTrue(v.feed(new byte[] {(byte) 0x82, (byte) 0xAC}, 0, 2));
        assertTrue(v.complete());
    }

    @Test
    void encodedFramesDecodeWhateverTheSplit() throws Exception {
        Random r = new Random(11);
        for (int n : new int[] {0, 1, 125, 126, 65535, 65536, 70000}) {
            byte[] p = new byte[n];
            r.nextBytes(p);
            byte[] f = Frames.encode(Frames.BINARY, true, false, p, 0, n, true, r.nextInt());
            for (int piece : new int[] {1, 7, 1000, f.length}) {
                List<byte[]> got = new ArrayList<>();
                FrameDecoder d = new FrameDecoder(true, 1 << 20, null);
                ByteBuffer buf = ByteBuffer.allocate(f.length).flip();
                for (int i = 0; i < f.length; i += piece) {
                    buf.compact().put(f, i, Math.min(piece, f.length - i)).flip();
                    d.feed(buf, collector(got));
                }
                assertEquals(1, got.size());
                assertArrayEquals(p, got.get(0));
            }
        }
    }

    @Test
    void aFailedDecoderStaysFailed() {
        FrameDecoder d = new FrameDecoder(true, 100, null);
        ByteBuffer b = ByteBuffer.wrap(new byte[] {(byte) 0x83, (byte) 0x80, 0, 0, 0, 0});
        WsProtocolException e = assertThrows(WsProtocolException.class, () -> d.feed(b, collector(new ArrayList<>())));
        assertEquals(1002, e.closeCode());
        assertThrows(WsProtocolException.class, () -> d.feed(ByteBuffer.allocate(0), collector(new ArrayList<>())));
    }

    @Test
    void deflateRoundTripsWithAndWithoutContextTakeover() throws Exception {
        for (boolean reset : new boolean[] {false, true}) {
            PerMessageDeflate.Params p = new PerMessageDeflate.Params(reset, reset, 15, 15);
            PerMessageDeflate a = new PerMessageDeflate(p, true, 6);
            PerMessageDeflate b = new PerMessageDeflate(p, false, 6);
            for (int i = 0; i < 20; i++) {
                byte[] m = ("message " + i + " ").repeat(i * 50).getBytes(StandardCharsets.UTF_8);
                byte[] z = a.deflate(m, 0, m.length);
                assertArrayEquals(m, b.inflate(z, z.length, 1 << 20));
            }
            a.close();
            b.close();
        }
    }

    @Test
    void theFuzzOracleHoldsOnRandomAndMutatedFrames() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[r.nextInt(64)];
                r.nextBytes(input);
            } else {
                byte[] p = new byte[r.nextInt(300)];
                r.nextBytes(p);
                byte[] f = Frames.encode(1 + r.nextInt(2), r.nextBoolean(), false, p, 0, p.length, r.nextBoolean(),
                        r.nextInt());
                input = new byte[f.length + 1];
                input[0] = (byte) r.nextInt(256);
                System.arraycopy(f, 0, input, 1, f.length);
                for (int k = 0; k < 3; k++) {
                    int at = 1 + r.nextInt(f.length);
                    input[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            FrameFuzzing.check(input);
        }
    }

    private static FrameDecoder.Handler collector(List<byte[]> got) {
        return new FrameDecoder.Handler() {
            @Override
            public void messageReceived(boolean text, byte[] data) {
                got.add(data);
            }

            @Override
            public void pingReceived(byte[] payload) {
            }

            @Override
            public void pongReceived(byte[] payload) {
            }

            @Override
            public void closeReceived(int code, String reason) {
            }
        };
    }
}
