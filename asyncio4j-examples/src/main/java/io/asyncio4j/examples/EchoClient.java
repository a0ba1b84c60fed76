package io.asyncio4j.examples;

import static io.asyncio4j.Asyncio.run;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The echo client of the asyncio documentation's "TCP echo client and server using streams", to
 * run by hand against {@link EchoServer}: it sends one line and prints the reply.
 *
 * {@snippet lang = "shell" :
 * java --add-opens java.base/java.lang=ALL-UNNAMED \
 *     -cp asyncio4j-core/target/classes:asyncio4j-examples/target/classes \
 *     io.asyncio4j.examples.EchoClient Hello World!
 * }
 *
 * <p>The arguments are the words of the message (default {@code Hello World!}), after the options
 * {@code --port PORT} (default 8888) and {@code --host HOST} (default 127.0.0.1). It prints:
 *
 * {@snippet lang = "text" :
 * Send: 'Hello World!'
 * Received: 'Hello World!'
 * Close the connection
 * }
 *
 * {@snippet lang = "python" :
 * async def tcp_echo_client(message):
 *     reader, writer = await asyncio.open_connection("127.0.0.1", 8888)
 *
 *     print(f"Send: {message!r}")
 *     writer.write(message.encode() + b"\n")
 *     await writer.drain()
 *
 *     data = await reader.readline()
 *     reply = data.decode().rstrip("\n")
 *     print(f"Received: {reply!r}")
 *
 *     print("Close the connection")
 *     writer.close()
 *     await writer.wait_closed()
 *
 * asyncio.run(tcp_echo_client("Hello World!"))
 * }
 *
 * <p>The documentation's client sends the message as it is and reads up to 100 bytes; this one
 * sends it as a line and reads the reply's line, which arrives whole however the network splits it.
 */
public final class EchoClient {
    private EchoClient() {
    }

    /**
     * Sends a message to an echo server and prints the reply.
     *
     * @param args {@code [--host HOST] [--port PORT] [WORD...]}
     */
    public static void main(String[] args) {
        String host = "127.0.0.1";
        int port = 8888;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            if (args[i].equals("--host") && hasValue) {
                host = args[++i];
            } else if (args[i].equals("--port") && hasValue && args[i + 1].matches("\\d{1,5}")) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("--")) {
                System.err.println("usage: EchoClient [--host HOST] [--port PORT] [WORD...]"
                        + "   (default: --host 127.0.0.1 --port 8888 Hello World!)");
                System.exit(2);
            } else {
                words.add(args[i]);
            }
        }
        String message = words.isEmpty() ? "Hello World!" : String.join(" ", words);
        String h = host;
        int p = port;
        try {
            run(() -> tcpEchoClient(message, h, p, System.out));
        } catch (Exception e) {
            // java.net.ConnectException when no server listens there
            System.err.println("EchoClient: " + h + ":" + p + ": " + e);
            System.exit(1);
        }
    }

    /**
     * Connects to an echo server, sends the message as one line, reads the reply's line and
     * closes the connection, printing each step. Suspends; checks for cancellation.
     *
     * @param message the message, without a line end
     * @param host the server's host
     * @param port the server's port
     * @param out where the client prints
     * @return the reply, without its line end
     * @throws IOException if the connection fails
     */
    public static String tcpEchoClient(String message, String host, int port, PrintStream out) throws IOException {
        Streams.Connection connection = Streams.openConnection(host, port);
        StreamReader reader = connection.reader();
        StreamWriter writer = connection.writer();

        out.println("Send: " + PythonRepr.of(message));
        writer.write((message + "\n").getBytes(UTF_8));
        writer.drain();

        String reply = new String(reader.readLine(), UTF_8);
        reply = reply.endsWith("\n") ? reply.substring(0, reply.length() - 1) : reply;
        out.println("Received: " + PythonRepr.of(reply));

        out.println("Close the connection");
        writer.close();
        writer.waitClosed();
        return reply;
    }
}
