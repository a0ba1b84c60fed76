package io.asyncio4j.http.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.Server;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scripted HTTP server on the test's loop: it reads each request head (and a body with a
 * Content-Length), then lets a script answer with raw bytes, close, or both; for the client's
 * failure modes that a correct server would never produce.
 */
final class RawServer implements AutoCloseable {
    /** What the script sees: the connection's number, the request's number on it, its head. */
    record Req(int connection, int index, String head, byte[] body) {
        String line() {
            return head.substring(0, head.indexOf("\r\n"));
        }
    }

    /** How the script answers. */
    interface Script {
        /** Writes an answer; returns false to close the connection afterwards. */
        boolean answer(Req r, StreamWriter w) throws Exception;
    }

    final Server server;
    final List<Req> requests = new ArrayList<>();
    int connections;

    private RawServer(Script script) throws IOException {
        server = Streams.startServer((reader, writer) -> serve(script, reader, writer), "127.0.0.1", 0);
    }

    static RawServer start(Script script) throws IOException {
        return new RawServer(script);
    }

    private void serve(Script script, StreamReader reader, StreamWriter writer) throws Exception {
        int conn = connections++;
        try {
            for (int i = 0; ; i++) {
                byte[] head;
                try {
                    head = reader.readUntil("\r\n\r\n".getBytes(ISO_8859_1));
                } catch (io.asyncio4j.stream.IncompleteReadError e) {
                    return;
                }
                String h = new String(head, ISO_8859_1);
                byte[] body = new byte[0];
                for (String line : h.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        body = reader.readExactly(Integer.parseInt(line.substring(15).trim()));
                    }
                }
                Req r = new Req(conn, i, h, body);
                requests.add(r);
                if (!script.answer(r, writer)) {
                    writer.drain();
                    return;
                }
                writer.drain();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            writer.close();
        }
    }

    int port() {
        return server.port();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    static byte[] ascii(String s) {
        return s.getBytes(ISO_8859_1);
    }

    static boolean ok(StreamWriter w, String body) {
        w.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
        return true;
    }

    @Override
    public void close() {
        server.close();
        server.waitClosed();
    }
}
