package io.asyncio4j.http.client;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.internal.client.ClientConnection;
import io.asyncio4j.http.internal.client.Urls;
import io.asyncio4j.http.internal.h1.ByteSink;
import io.asyncio4j.http.internal.h1.H1Encoder;
import io.asyncio4j.http.internal.h1.H1Limits;
import io.asyncio4j.http.internal.h1.H1Parser;
import io.asyncio4j.http.internal.h1.MessageHead;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;

/*
 * Implementation overview
 *
 * One request on one connection: the head and body written, then the response head read. Bodies
 * with a length go out with Content-Length (small ones in the head's write), the others chunked,
 * piece by piece with drain() between pieces, so a large upload never sits in memory. Reading the
 * head skips interim 1xx responses (but 101, which ends HTTP on the connection).
 *
 * `Stale` is the one failure the session may retry: the connection broke (EOF, reset, write to a
 * closed socket) before a single byte of the response arrived. Whether it is retried is the
 * session's decision (a reused connection, an idempotent method, a replayable body).
 */

/** Sends one request over a connection and reads its response head. */
final class Exchange {
    static final H1Limits RESPONSE_LIMITS = new H1Limits(8 * 1024, 64 * 1024, 256, 4 * 1024, Long.MAX_VALUE);
    private static final int INLINE_BODY = 64 * 1024;
    private static final int PIECE = 64 * 1024;

    private Exchange() {
    }

    /** The connection broke before any byte of the response came: maybe a stale keep-alive one. */
    static final class Stale extends IOException {
        private static final long serialVersionUID = 1L;

        Stale(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A body ready to send: its bytes if it has them, its length, its content type. */
    record Prepared(RequestBody source, byte[] bytes, long length, String contentType) {
    }

    static Prepared prepare(RequestBody body, io.asyncio4j.http.JsonCodec json) throws IOException {
        if (body == null) {
            return null;
        }
        return switch (body) {
            case RequestBody.Bytes b -> new Prepared(body, b.data(), b.data().length, b.contentType());
            case RequestBody.Json j -> {
                byte[] data = json.encode(j.value());
                yield new Prepared(body, data, data.length, j.contentType());
            }
            case RequestBody.Form f -> {
                byte[] data = Urls.encode(f.fields(), true).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                yield new Prepared(body, data, data.length, f.contentType());
            }
            case RequestBody.Stream s -> new Prepared(body, null, s.length(), s.contentType());
            case RequestBody.FromInputStream s -> new Prepared(body, null, s.length(), s.contentType());
            case RequestBody.File f -> {
                long size = Asyncio.await(Asyncio.getRunningLoop().runInExecutor(
                        () -> java.nio.file.Files.size(f.path())));
                yield new Prepared(body, null, size, f.contentType());
            }
            case Multipart m -> {
                Multipart.Encoded e = m.encode();
                yield new Prepared(body, e.bytes(), e.length(), m.contentType());
            }
        };
    }

    /**
     * Writes the request. Suspends while the transport's buffer is full; checks for cancellation.
     * The target is the URL's path and query, or the whole URL for a proxy (absolute form).
     *
     * @throws Stale if the connection is found closed before anything of the response came
     */
    static void send(ClientConnection c, HttpMethod method, URI url, String target, Headers headers, Prepared body,
                     ClientEvents events) throws IOException {
        ByteSink out = new ByteSink(256 + (body != null && body.bytes() != null && body.bytes().length <= INLINE_BODY
                ? body.bytes().length : 0));
        H1Encoder.requestLine(out, method, target);
        H1Encoder.fields(out, headers);
        boolean chunked = false;
        if (body != null) {
            if (body.length() >= 0) {
                H1Encoder.field(out, "Content-Length", body.length());
            } else {
                H1Encoder.field(out, "Transfer-Encoding", "chunked");
                chunked = true;
            }
        } else if (method != HttpMethod.GET && method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT)
                || method.equals(HttpMethod.PATCH)) {
            H1Encoder.field(out, "Content-Length", 0); // RFC 9110 §8.6: a POST without a body says so
        }
        H1Encoder.endHead(out);
        try {
            if (body != null && body.bytes() != null && body.bytes().length <= INLINE_BODY) {
                out.put(body.bytes());
                c.write(out.asBuffer());
                if (events != null) {
                    events.requestChunkSent(url, body.bytes().length);
                }
            } else {
                c.write(out.asBuffer());
                if (body != null) {
                    sendBody(c, url, body, chunked, events);
                }
            }
            c.drain();
        } catch (Stale e) {
            throw e;
        } catch (IOException e) {
            if (c.isClosed() && !c.hasUnreadInput()) {
                throw new Stale("the connection was closed before the request was sent", e);
            }
            throw e;
        }
    }

    private static void sendBody(ClientConnection c, URI url, Prepared body, boolean chunked, ClientEvents events)
            throws IOException {
        long sent = 0;
        switch (body.source()) {
            case RequestBody.Stream s -> {
                Iterator<byte[]> it = s.chunks().iterator();
                while (it.hasNext()) {
                    byte[] piece = it.next();
                    sent += piece.length;
                    piece(c, url, ByteBuffer.wrap(piece), chunked, events);
                }
            }
            case RequestBody.FromInputStream s -> {
                EventLoop loop = Asyncio.getRunningLoop();
                InputStream in = s.in();
                try {
                    while (true) {
                        byte[] piece = Asyncio.await(loop.runInExecutor(() -> in.readNBytes(PIECE)));
                        if (piece.length == 0) {
                            break;
                        }
                        sent += piece.length;
                        piece(c, url, ByteBuffer.wrap(piece), chunked, events);
                    }
                } finally {
                    Asyncio.await(loop.runInExecutor(() -> {
                        in.close();
                        return null;
                    }));
                }
            }
            case RequestBody.File f -> sent = sendFile(c, url, f.path(), body.length(), chunked, events);
            case Multipart m -> {
                for (Multipart.Piece p : m.pieces()) {
                    if (p.bytes() != null) {
                        sent += p.bytes().length;
                        piece(c, url, ByteBuffer.wrap(p.bytes()), chunked, events);
                    } else {
                        sent += sendFile(c, url, p.file(), p.length(), chunked, events);
                    }
                }
            }
            default -> {
                byte[] b = body.bytes();
                sent = b.length;
                piece(c, url, ByteBuffer.wrap(b), chunked, events);
            }
        }
        if (chunked) {
            c.write(ByteBuffer.wrap(H1Encoder.LAST_CHUNK));
        } else if (sent != body.length()) {
            c.abort();
            throw new IOException("the body's declared length was " + body.length() + " bytes but " + sent
                    + " were produced");
        }
    }

    /** Streams a file's first {@code length} bytes from the default executor, piece by piece. */
    private static long sendFile(ClientConnection c, URI url, java.nio.file.Path file, long length, boolean chunked,
                                 ClientEvents events) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        FileChannel ch = Asyncio.await(loop.runInExecutor(() -> FileChannel.open(file, StandardOpenOption.READ)));
        long sent = 0;
        try {
            while (sent < length) {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(PIECE, length - sent));
                long at = sent;
                int n = Asyncio.await(loop.runInExecutor(() -> ch.read(buf, at)));
                if (n < 0) {
                    throw new IOException("the file " + file + " became shorter while it was sent");
                }
                sent += n;
                piece(c, url, buf.flip(), chunked, events);
            }
        } finally {
            Asyncio.await(loop.runInExecutor(() -> {
                ch.close();
                return null;
            }));
        }
        return sent;
    }

    private static void piece(ClientConnection c, URI url, ByteBuffer data, boolean chunked, ClientEvents events)
            throws IOException {
        int n = data.remaining();
        if (n == 0) {
            return; // an empty piece would be the last chunk
        }
        if (chunked) {
            ByteSink h = new ByteSink(20);
            H1Encoder.chunkHeader(h, n);
            c.write(h.asBuffer());
        }
        c.write(data);
        if (chunked) {
            c.write(ByteBuffer.wrap(CRLF));
        }
        if (events != null) {
            events.requestChunkSent(url, n);
        }
        c.drain();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Reads the response head: interim 1xx responses are skipped, 101 is returned. Suspends;
     * checks for cancellation.
     *
     * @throws Stale if the connection ended before any byte of a response
     */
    static MessageHead readHead(EventLoop loop, ClientConnection c, H1Parser parser, HttpMethod method, URI url,
                                long sockReadNs, long totalDeadlineNs) throws IOException {
        boolean interim = false;
        boolean isHead = method != HttpMethod.GET && method.equals(HttpMethod.HEAD);
        if (isHead) {
            parser.expectNoBody();
        }
        while (true) {
            H1Parser.Event e;
            try {
                e = parser.next(c.input());
            } catch (HttpParseException x) {
                if (c.atEof() && !interim && x.getMessage() != null && parser.atMessageStart()) {
                    throw new Stale("the server closed the connection", x);
                }
                throw new ClientProtocolError(url, "the response is malformed: " + x.getMessage(), x);
            }
            switch (e) {
                case HEAD -> {
                    MessageHead head = parser.head();
                    if (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
                        interim = true;
                        if (isHead) {
                            parser.expectNoBody();
                        }
                        continue;
                    }
                    return head;
                }
                case NEED_DATA -> {
                    if (c.atEof()) {
                        boolean nothing = !interim && parser.atMessageStart() && !c.hasUnreadInput();
                        if (nothing) {
                            throw new Stale("the server closed the connection without a response", c.lostError());
                        }
                        parser.eof();
                        try {
                            parser.next(c.input());
                        } catch (HttpParseException x) {
                            throw new ServerDisconnectedError(url, "the server closed the connection in the middle "
                                    + "of the response head", x);
                        }
                        throw new ServerDisconnectedError(url, "the server closed the connection in the middle of "
                                + "the response head", null);
                    }
                    long deadline = Math.min(sockReadNs == 0 ? Long.MAX_VALUE : loop.time() + sockReadNs,
                            totalDeadlineNs);
                    if (!c.awaitInput(deadline)) {
                        ClientTimeout.Kind k = deadline == totalDeadlineNs ? ClientTimeout.Kind.TOTAL
                                : ClientTimeout.Kind.SOCK_READ;
                        throw new ClientTimeoutError(url, k, "waiting for the response head");
                    }
                }
                default -> throw new ClientProtocolError(url, "unexpected " + e + " before the response head", null);
            }
        }
    }
}
