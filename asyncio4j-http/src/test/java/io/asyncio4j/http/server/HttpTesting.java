package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
import io.asyncio4j.ThrowingRunnable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers for the server's tests. */
final class HttpTesting {
    private HttpTesting() {
    }

    /** Runs a test body in a fresh loop. */
    static void run(ThrowingRunnable body) {
        Asyncio.run(body);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends raw bytes over a blocking socket from another thread (so that the loop keeps
     * serving), half-closes unless asked not to, and returns everything the server sent until it
     * closed or the timeout passed. Call through {@code Asyncio.toThread}.
     */
    static String rawExchange(int port, byte[] request, boolean halfClose, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] b = new byte[65536];
            try {
                for (int n; (n = in.read(b)) > 0; ) {
                    got.write(b, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // the server kept the connection open: return what came
            } catch (java.net.SocketException e) {
                // reset after the response: what came is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Opens a plain connection from the loop (a task), for requests the test kit would not send.
     */
    static io.asyncio4j.stream.Streams.Connection connect(int port) throws IOException {
        return io.asyncio4j.stream.Streams.openConnection("127.0.0.1", port);
    }

    /** Reads until the server closes, or until {@code millis} pass; from a task. */
    static String readAll(io.asyncio4j.stream.Streams.Connection c, long millis) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return got.toString(StandardCharsets.ISO_8859_1);
            }
            byte[] b;
            try {
                b = Asyncio.waitFor(() -> c.reader().read(65536), java.time.Duration.ofNanos(left));
            } catch (io.asyncio4j.TimeoutError e) {
                return got.toString(StandardCharsets.ISO_8859_1);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                if (e instanceof java.net.SocketException) {
                    return got.toString(StandardCharsets.ISO_8859_1) + "<RESET>"; // reset after the answer
                }
                throw e;
            }
            if (b.length == 0) {
                return got.toString(StandardCharsets.ISO_8859_1) + "<EOF>";
            }
            got.writeBytes(b);
        }
    }

    /** Reads until {@code marker} has arrived; from a task. */
    static String readUntil(io.asyncio4j.stream.Streams.Connection c, String marker, long millis) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        return Asyncio.waitFor(() -> {
            while (!got.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
                byte[] b = c.reader().read(65536);
                if (b.length == 0) {
                    return got.toString(StandardCharsets.ISO_8859_1) + "<EOF>";
                }
                got.writeBytes(b);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }, java.time.Duration.ofMillis(millis));
    }

    /** {@return the status codes of the responses in a raw reply, in order} */
    static List<Integer> statuses(String reply) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while ((i = reply.indexOf("HTTP/1.1 ", i)) >= 0) {
            if (i == 0 || reply.charAt(i - 1) == '\n' || reply.startsWith("\r\n", i - 2) || out.isEmpty()
                    || isResponseStart(reply, i)) {
                out.add(Integer.parseInt(reply.substring(i + 9, i + 12)));
            }
            i += 9;
        }
        return out;
    }

    private static boolean isResponseStart(String reply, int i) {
        return i >= 1 && (reply.charAt(i - 1) == '!' || Character.isLetterOrDigit(reply.charAt(i - 1)));
    }
}
