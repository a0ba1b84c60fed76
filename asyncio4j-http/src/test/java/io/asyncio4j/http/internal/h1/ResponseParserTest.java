package io.asyncio4j.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.HttpVersion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec's other direction, for clients: responses, their framing, interim and final heads. */
class ResponseParserTest {

    /** One parsed response. */
    private record Parsed(int status, String reason, String body, boolean keepAlive, String trailer) {
    }

    private static List<Parsed> parse(String raw, boolean headRequest, boolean closeAtEnd) throws HttpParseException {
        H1Parser p = H1Parser.forResponses(H1Limits.DEFAULTS);
        ByteBuffer in = ByteBuffer.wrap(raw.getBytes(ISO_8859_1));
        List<Parsed> out = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        MessageHead head = null;
        boolean ended = false;
        if (headRequest) {
            p.expectNoBody();
        }
        while (true) {
            H1Parser.Event e = p.next(in);
            switch (e) {
                case HEAD -> {
                    head = p.head();
                    if (head.status() < 200) {
                        out.add(new Parsed(head.status(), head.reason(), "", head.keepAlive(), null));
                        if (headRequest) {
                            p.expectNoBody();
                        }
                    }
                }
                case BODY -> body.append(ISO_8859_1.decode(p.body()));
                case END -> {
                    out.add(new Parsed(head.status(), head.reason(), body.toString(), head.keepAlive(),
                            p.trailers().get("X-T")));
                    body.setLength(0);
                }
                case NEED_DATA -> {
                    if (!closeAtEnd || ended) {
                        return out;
                    }
                    p.eof();
                    ended = true;
                }
                default -> throw new AssertionError(e);
            }
            if (head != null && head.status() == 101) {
                return out;
            }
        }
    }

    @Test
    void lengthChunkedAndCloseDelimitedBodies() throws Exception {
        List<Parsed> r = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"
                + "HTTP/1.1 200 OK\r\n\r\nuntil the end", false, true);
        assertEquals(List.of(new Parsed(200, "OK", "hello", true, null), new Parsed(201, "Created", "abc", true, "1"),
                new Parsed(200, "OK", "until the end", false, null)), r);
    }

    @Test
    void headResponsesAndBodilessStatusesHaveNoBody() throws Exception {
        assertEquals(List.of(new Parsed(200, "OK", "", true, null)),
                parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true, false));
        assertEquals(List.of(new Parsed(204, "No Content", "", true, null), new Parsed(304, "Not Modified", "", true,
                null)), parse("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\nHTTP/1.1 304 Not Modified\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", false, false));
    }

    @Test
    void interimResponsesPrecedeTheFinalOne() throws Exception {
        List<Parsed> r = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false, false);
        assertEquals(List.of(100, 103, 200), r.stream().map(Parsed::status).toList());
        assertEquals("ok", r.get(2).body());
    }

    @Test
    void switchingProtocolsEndsHttp() throws Exception {
        H1Parser p = H1Parser.forResponses(H1Limits.DEFAULTS);
        ByteBuffer in = ByteBuffer.wrap("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0002hi"
                .getBytes(ISO_8859_1));
        assertEquals(H1Parser.Event.HEAD, p.next(in));
        assertTrue(p.head().upgrade());
        assertEquals(4, in.remaining(), "the WebSocket bytes are left for the next protocol");
        assertThrows(IllegalStateException.class, () -> p.next(in));
    }

    @Test
    void versionsReasonsAndKeepAlive() throws Exception {
        Parsed ten = parse("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", false, false).get(0);
        assertFalse(ten.keepAlive(), "1.0 closes by default");
        assertTrue(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false, false).get(0)
                .keepAlive());
        assertFalse(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false, false).get(0)
                .keepAlive());
        assertEquals("", parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false, false).get(0).reason(),
                "a missing reason phrase");
        assertEquals("Very OK indeed", parse("HTTP/1.1 299 Very OK indeed\r\nContent-Length: 0\r\n\r\n", false, false)
                .get(0).reason());
        H1Parser p = H1Parser.forResponses(H1Limits.DEFAULTS);
        p.next(ByteBuffer.wrap("HTTP/1.0 200 OK\r\n\r\n".getBytes(ISO_8859_1)));
        assertEquals(HttpVersion.HTTP_1_0, p.head().version());
    }

    @Test
    void malformedResponsesAreErrors() {
        for (String bad : new String[] {
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 2000 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 099 Low\r\n\r\n",
            "HTTP/2.0 200 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "ICY 200 OK\r\n\r\n",
        }) {
            assertThrows(HttpParseException.class, () -> parse(bad, false, true), bad);
        }
        assertThrows(HttpParseException.class, () -> parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", false,
                true), "a body cut short by the close");
    }
}
