package io.asyncio4j.examples;

import static io.asyncio4j.Asyncio.run;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.transport.Server;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import java.io.IOException;
import java.io.PrintStream;
import io.asyncio4j.transport.ExtraInfo;

/**
 * The echo server of the asyncio documentation's "TCP echo client and server using streams", to
 * run by hand: it listens on 127.0.0.1 and sends every line it receives back, until Ctrl-C.
 *
 * {@snippet lang = "shell" :
 * ./asyncio4j build    # once, or ./mvnw -q install -DskipTests
 * java --add-opens java.base/java.lang=ALL-UNNAMED \
 *     -cp asyncio4j-core/target/classes:asyncio4j-examples/target/classes \
 *     io.asyncio4j.examples.EchoServer 8888
 * }
 *
 * <p>Then, in another terminal, run {@link EchoClient}, or type lines into {@code nc 127.0.0.1 8888}.
 * The arguments are the port (default 8888; 0 picks a free one) and the address to listen on
 * (default 127.0.0.1). The {@code --add-opens} option lets asyncio4j use its fast scheduler; it
 * runs without it too, more slowly.
 *
 * {@snippet lang = "python" :
 * async def handle_echo(reader, writer):
 *     addr = writer.get_extra_info("peername")
 *     async for data in reader:
 *         message = data.decode().rstrip("\n")
 *         print(f"Received {message!r} from {addr!r}")
 *
 *         print(f"Send: {message!r}")
 *         writer.write(data)
 *         await writer.drain()
 *
 *     print("Close the connection")
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def main():
 *     server = await asyncio.start_server(handle_echo, "127.0.0.1", 8888)
 *
 *     addrs = ", ".join(str(sock.getsockname()) for sock in server.sockets)
 *     print(f"Serving on {addrs}")
 *
 *     async with server:
 *         await server.serve_forever()
 *
 * asyncio.run(main())
 * }
 *
 * <p>The documentation's server reads up to 100 bytes once and closes; this one echoes line after
 * line until the client closes, which suits a session typed by hand as well as {@link EchoClient}.
 */
public final class EchoServer {
    private EchoServer() {
    }

    /**
     * Runs the server until Ctrl-C, printing what it receives and sends.
     *
     * @param args the port (default 8888) and the address to listen on (default 127.0.0.1)
     */
    public static void main(String[] args) {
        if (args.length > 2 || (args.length > 0 && !args[0].matches("\\d{1,5}"))) {
            System.err.println("usage: EchoServer [PORT [HOST]]   (default: 8888 127.0.0.1)");
            System.exit(2);
        }
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        try {
            run(() -> {
                try (Server server = start(host, port, System.out)) {
                    try {
                        server.serveForever();
                    } finally {
                        // After Ctrl-C, end the open connections too: closing the server waits for them.
                        server.closeClients();
                    }
                }
            });
        } catch (Exception e) {
            // Only the startup fails with an exception, e.g. java.net.BindException: the port is taken.
            System.err.println("EchoServer: cannot listen on " + host + ":" + port + ": " + e);
            System.exit(1);
        }
    }

    /**
     * Starts an echo server and prints {@code Serving on ('127.0.0.1', 8888)}. Each connection is
     * echoed line by line in a task of its own, printing what is received and sent, until the
     * client closes. Close the server to stop it. Never suspends except to resolve the host name;
     * must be called from a task.
     *
     * @param host the address to listen on
     * @param port the port, or 0 for a free one (the line printed shows which)
     * @param out where the server prints
     * @return the listening server
     * @throws IOException if it cannot listen
     */
    public static Server start(String host, int port, PrintStream out) throws IOException {
        Server server = Streams.startServer((reader, writer) -> handleEcho(reader, writer, out), host, port);
        out.println("Serving on " + String.join(", ", server.sockets().stream().map(PythonRepr::of).toList()));
        return server;
    }

    private static void handleEcho(StreamReader reader, StreamWriter writer, PrintStream out) throws IOException {
        String addr = PythonRepr.of(writer.getExtraInfo(ExtraInfo.PEERNAME));
        try {
            for (byte[] data : reader) {
                String message = new String(data, UTF_8);
                message = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
                out.println("Received " + PythonRepr.of(message) + " from " + addr);

                out.println("Send: " + PythonRepr.of(message));
                writer.write(data);
                writer.drain();
            }
            out.println("Close the connection");
        } catch (IOException e) {
            out.println("Connection lost: " + e);
        }
        writer.close();
        writer.waitClosed();
    }
}
