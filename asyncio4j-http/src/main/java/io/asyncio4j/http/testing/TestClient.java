package io.asyncio4j.http.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.http.internal.h1.ByteSink;
import io.asyncio4j.http.internal.h1.H1Encoder;
import io.asyncio4j.http.internal.h1.H1Limits;
import io.asyncio4j.http.internal.h1.H1Parser;
import io.asyncio4j.http.internal.h1.MessageHead;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.http.server.Site;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.stream.Streams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/*
 * Implementation overview
 *
 * A small HTTP/1.1 client over the core's streams and this module's codec in its response
 * direction (H1Parser.forResponses): one keep-alive connection, opened on first use, reused while
 * the server keeps it, reopened after a close. Requests are sent whole (Content-Length); the
 * response is pulled from the parser as bytes arrive: 1xx interim responses are skipped, HEAD
 * responses have no body, bodies are de-chunked (not decompressed: tests check the encoding).
 */

/**
 * A client bound to a server started for a test: aiohttp's {@code aiohttp_client} fixture. Start
 * the application on a free loopback port with {@link #start(Application)}, send requests, close
 * both with try-with-resources. Call it from a task (inside {@code Asyncio.run}).
 *
 * {@snippet :
 * Asyncio.run(() -> {
 *     try (TestClient client = TestClient.start(app)) {
 *         TestResponse r = client.get("/users/42");
 *         assertEquals(200, r.status());
 *         assertEquals("Ada", r.json(Map.class).get("name"));
 *     }
 * });
 * }
 */
public final class TestClient implements AutoCloseable {
    private final AppRunner runner;
    private final String host;
    private final int port;
    private final SSLContext ssl;
    private Streams.Connection conn;
    private H1Parser parser;
    private ByteBuffer buf;

    private TestClient(AppRunner runner, String host, int port, SSLContext ssl) {
        this.runner = runner;
        this.host = host;
        this.port = port;
        this.ssl = ssl;
    }

    /**
     * Starts an application on a free port of 127.0.0.1 and makes a client for it. The settings
     * are the defaults but for the access log (off) and the shutdown timeout (5 s, so that a test
     * whose handler hangs fails soon). Suspends while the application starts.
     *
     * @param app the application
     * @return the client
     * @throws Exception what the application's start-up threw
     */
    public static TestClient start(Application app) throws Exception {
        return start(app, ServerSettings.defaults().withAccessLog(false).withShutdownTimeout(Duration.ofSeconds(5)));
    }

    /**
     * Starts an application with settings on a free port of 127.0.0.1.
     *
     * @param app the application
     * @param settings the settings
     * @return the client
     * @throws Exception what the application's start-up threw
     */
    public static TestClient start(Application app, ServerSettings settings) throws Exception {
        AppRunner runner = new AppRunner(app, settings);
        runner.setup();
        try {
            Site site = runner.addTcpSite("127.0.0.1", 0);
            return new TestClient(runner, "127.0.0.1", site.port(), null);
        } catch (IOException | RuntimeException e) {
            runner.cleanup();
            throw e;
        }
    }

    /**
     * Makes a client for a server that runs already (another process, nginx in front).
     *
     * @param host the host
     * @param port the port
     * @return the client (closing it closes only its connection)
     */
    public static TestClient connect(String host, int port) {
        return new TestClient(null, host, port, null);
    }

    /**
     * Makes a TLS client for a server that runs already.
     *
     * @param host the host name the certificate is checked against
     * @param port the port
     * @param ssl the client's TLS context
     * @return the client
     */
    public static TestClient connectTls(String host, int port, SSLContext ssl) {
        return new TestClient(null, host, port, Objects.requireNonNull(ssl, "ssl"));
    }

    /** {@return the server's port} */
    public int port() {
        return port;
    }

    /** {@return the server's base URL, {@code http://127.0.0.1:PORT}} */
    public String baseUrl() {
        return (ssl != null ? "https://" : "http://") + host + ":" + port;
    }

    /** {@return the runner of the application started for the test, or {@code null}} */
    public AppRunner runner() {
        return runner;
    }

    /**
     * Sends a GET. Suspends until the whole response is read; checks for cancellation.
     *
     * @param path the path (and query)
     * @return the response
     * @throws IOException if the connection fails
     */
    public TestResponse get(String path) throws IOException {
        return request(HttpMethod.GET, path, null, null);
    }

    /**
     * Sends a HEAD. Suspends until the response is read.
     *
     * @param path the path
     * @return the response (no body)
     * @throws IOException if the connection fails
     */
    public TestResponse head(String path) throws IOException {
        return request(HttpMethod.HEAD, path, null, null);
    }

    /**
     * Sends a DELETE. Suspends until the response is read.
     *
     * @param path the path
     * @return the response
     * @throws IOException if the connection fails
     */
    public TestResponse delete(String path) throws IOException {
        return request(HttpMethod.DELETE, path, null, null);
    }

    /**
     * Sends a POST with a body. Suspends until the response is read.
     *
     * @param path the path
     * @param body the body
     * @param contentType its content type
     * @return the response
     * @throws IOException if the connection fails
     */
    public TestResponse post(String path, byte[] body, String contentType) throws IOException {
        return request(HttpMethod.POST, path, Headers.of("Content-Type", contentType), body);
    }

    /**
     * Sends a POST of a value as JSON (the default codec). Suspends until the response is read.
     *
     * @param path the path
     * @param value the value
     * @return the response
     * @throws IOException if the connection fails
     */
    public TestResponse postJson(String path, Object value) throws IOException {
        return post(path, JsonCodec.defaultCodec().encode(value), "application/json");
    }

    /**
     * Sends a PUT of a value as JSON. Suspends until the response is read.
     *
     * @param path the path
     * @param value the value
     * @return the response
     * @throws IOException if the connection fails
     */
    public TestResponse putJson(String path, Object value) throws IOException {
        return request(HttpMethod.PUT, path, Headers.of("Content-Type", "application/json"),
                JsonCodec.defaultCodec().encode(value));
    }

    /**
     * Sends a request. {@code Host} and {@code Content-Length} are added unless given. Suspends
     * until the whole response is read; checks for cancellation.
     *
     * @param method the method
     * @param path the path (and query), visible ASCII
     * @param headers header fields, or {@code null}
     * @param body the body, or {@code null} for none
     * @return the response
     * @throws IOException if the connection fails or the response is malformed
     */
    public TestResponse request(HttpMethod method, String path, Headers headers, byte[] body) throws IOException {
        boolean reused = conn != null;
        try {
            return exchange(method, path, headers, body);
        } catch (IOException e) {
            if (!reused || sentAndGotBytes) {
                throw e;
            }
            dropConnection(); // a stale keep-alive connection the server closed: once more on a new one
            return exchange(method, path, headers, body);
        }
    }

    private boolean sentAndGotBytes;

    private TestResponse exchange(HttpMethod method, String path, Headers headers, byte[] body) throws IOException {
        MessageHead head = sendAndReadHead(method, path, headers, body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            H1Parser.Event e = pull();
            if (e == H1Parser.Event.BODY) {
                ByteBuffer b = parser.body();
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                out.writeBytes(copy);
            } else if (e == H1Parser.Event.END) {
                break;
            }
        }
        Headers trailers = parser.trailers();
        if (!head.keepAlive()) {
            dropConnection();
        }
        return new TestResponse(head.status(), head.reason(), head.headers(), out.toByteArray(), trailers);
    }

    /**
     * Sends a request and returns once the response's head is read; the body is read with
     * {@link StreamedResponse#readChunk()}. The client's connection is handed to the response:
     * the next request opens a new one. Suspends until the head arrives.
     *
     * @param method the method
     * @param path the path
     * @param headers header fields, or {@code null}
     * @param body the body, or {@code null}
     * @return the response
     * @throws IOException if the connection fails
     */
    public StreamedResponse stream(HttpMethod method, String path, Headers headers, byte[] body) throws IOException {
        MessageHead head = sendAndReadHead(method, path, headers, body);
        Streams.Connection c = conn;
        H1Parser p = parser;
        ByteBuffer[] b = {buf};
        conn = null;
        parser = null;
        buf = null;
        return new StreamedResponse() {
            private boolean done;

            @Override
            public int status() {
                return head.status();
            }

            @Override
            public Headers headers() {
                return head.headers();
            }

            @Override
            public byte[] readChunk() throws IOException {
                while (!done) {
                    H1Parser.Event e = p.next(b[0]);
                    switch (e) {
                        case BODY -> {
                            ByteBuffer x = p.body();
                            byte[] copy = new byte[x.remaining()];
                            x.get(copy);
                            return copy;
                        }
                        case END -> done = true;
                        case NEED_DATA -> b[0] = readMore(c, p, b[0]);
                        default -> throw new HttpParseException(400, "unexpected " + e);
                    }
                }
                return new byte[0];
            }

            @Override
            public void close() {
                c.writer().transport().abort();
            }
        };
    }

    private MessageHead sendAndReadHead(HttpMethod method, String path, Headers headers, byte[] body)
            throws IOException {
        sentAndGotBytes = false;
        ensureConnected();
        ByteSink out = new ByteSink(512 + (body == null ? 0 : body.length));
        H1Encoder.requestLine(out, method, path);
        Headers h = headers == null ? new Headers() : headers;
        if (!h.contains("Host")) {
            H1Encoder.field(out, "Host", host + ":" + port);
        }
        H1Encoder.fields(out, h);
        if (body != null && !h.contains("Content-Length") && !h.contains("Transfer-Encoding")) {
            H1Encoder.field(out, "Content-Length", body.length);
        }
        H1Encoder.endHead(out);
        if (body != null) {
            out.put(body);
        }
        conn.writer().write(out.toByteArray());
        conn.writer().drain();
        if (method == HttpMethod.HEAD) {
            parser.expectNoBody();
        }
        while (true) {
            H1Parser.Event e = pull();
            if (e == H1Parser.Event.HEAD) {
                MessageHead head = parser.head();
                if (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
                    if (method == HttpMethod.HEAD) {
                        parser.expectNoBody();
                    }
                    continue; // 100 Continue and other interim responses
                }
                return head;
            }
        }
    }

    private H1Parser.Event pull() throws IOException {
        while (true) {
            H1Parser.Event e = parser.next(buf);
            if (e != H1Parser.Event.NEED_DATA) {
                sentAndGotBytes = true;
                return e;
            }
            buf = readMore(conn, parser, buf);
        }
    }

    private static ByteBuffer readMore(Streams.Connection c, H1Parser p, ByteBuffer buf) throws IOException {
        byte[] more = c.reader().read(64 * 1024);
        if (more.length == 0) {
            p.eof();
            return buf;
        }
        buf.compact();
        if (buf.remaining() < more.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more.length));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        buf.put(more);
        return buf.flip();
    }

    private void ensureConnected() throws IOException {
        if (conn != null) {
            return;
        }
        ConnectOptions o = ConnectOptions.defaults();
        if (ssl != null) {
            o = o.withSsl(ssl).withAlpnProtocols(java.util.List.of("http/1.1"));
        }
        conn = Streams.openConnection(host, port, o);
        parser = H1Parser.forResponses(new H1Limits(64 * 1024, 256 * 1024, 1000, 64 * 1024, Long.MAX_VALUE));
        buf = ByteBuffer.allocate(16 * 1024).flip();
    }

    private void dropConnection() {
        if (conn != null) {
            conn.writer().transport().abort();
            conn = null;
            parser = null;
            buf = null;
        }
    }

    /**
     * Closes the connection, then stops the application started for the test (its graceful
     * shutdown and cleanup hooks). Suspends.
     */
    @Override
    public void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (IOException | RuntimeException e) {
                // closing: the server side may have gone already
            }
            conn = null;
        }
        if (runner != null) {
            runner.cleanup();
        }
    }

    /**
     * Encodes text as UTF-8, for bodies.
     *
     * @param s the text
     * @return the bytes
     */
    public static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }
}
