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
