package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.run;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.transport.Server;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import io.asyncio4j.transport.ExtraInfo;

/**
 * An echo server and its client in one program, as in the asyncio documentation's "TCP echo
 * client and server using streams": the client sends {@code Hello World!}, the server sends it
 * back, and both close the connection.
 *
 * {@snippet lang = "python" :
 * async def handle_echo(reader, writer):
 *     data = await reader.readline()
 *     message = data.decode().rstrip("\n")
 *     addr = writer.get_extra_info("peername")
 *     print(f"[server] Received {message!r} from {addr!r}")
 *
 *     print(f"[server] Send: {message!r}")
 *     writer.write(data)
 *     await writer.drain()
 *
 *     print("[server] Close the connection")
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def tcp_echo_client(message, port):
 *     reader, writer = await asyncio.open_connection("127.0.0.1", port)
 *
 *     print(f"[client] Send: {message!r}")
 *     writer.write(message.encode() + b"\n")
 *     await writer.drain()
 *
 *     data = await reader.readline()
 *     reply = data.decode().rstrip("\n")
 *     print(f"[client] Received: {reply!r}")
 *
 *     print("[client] Close the connection")
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def main():
 *     server = await asyncio.start_server(handle_echo, "127.0.0.1", 0)
 *     addrs = ", ".join(str(sock.getsockname()) for sock in server.sockets)
 *     print(f"[server] Serving on {addrs}")
 *     async with server:
 *         await tcp_echo_client("Hello World!", server.sockets[0].getsockname()[1])
 *
 * asyncio.run(main())
 * }
 *
 * <p>The documentation's server and client are two programs, each sending and reading up to 100
 * bytes; here they share one program and one event loop, so each line says who prints it, and
 * the message travels as a line, which the reader reads whole however the network splits it.
 * Addresses print as Python prints them, {@code ('127.0.0.1', 8888)}. The server prints
 * "Close the connection" before the client prints what it received: the server's task runs on
 * until it waits for the connection to close, and only then does the loop look at the socket
 * and find the reply for the client. {@link io.asyncio4j.examples.EchoServer} and
 * {@link io.asyncio4j.examples.EchoClient} are the two programs, to run by hand.
 */
public final class Echo {
    private Echo() {
    }

    /**
     * Runs the example on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        demo(System.out);
    }

    /**
     * Runs the example on a new event loop: starts the echo server on a free port of 127.0.0.1,
     * sends it one message with the client, and closes the server, printing each step. Blocks the
     * calling thread for a few milliseconds; must not be called from a running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            try (Server server = Streams.startServer(
                    (reader, writer) -> handleEcho(out, reader, writer), "127.0.0.1", 0)) {
                out.println("[server] Serving on " + String.join(", ",
                        server.sockets().stream().map(Echo::addressRepr).toList()));
                int port = server.port();
                tcpEchoClient(out, "Hello World!", port);
            }
        });
    }

    /** The server's side of one connection: echoes one line, then closes. */
    private static void handleEcho(PrintStream out, StreamReader reader, StreamWriter writer) throws IOException {
        byte[] data = reader.readLine();
        String message = withoutNewline(new String(data, UTF_8));
        SocketAddress addr = writer.getExtraInfo(ExtraInfo.PEERNAME);
        out.println("[server] Received " + repr(message) + " from " + addressRepr(addr));

        out.println("[server] Send: " + repr(message));
        writer.write(data);
        writer.drain();

        out.println("[server] Close the connection");
        writer.close();
        writer.waitClosed();
    }

    /** The client: sends a line, prints the reply, closes. */
    private static void tcpEchoClient(PrintStream out, String message, int port) throws IOException {
        Streams.Connection connection = Streams.openConnection("127.0.0.1", port);
        StreamReader reader = connection.reader();
        StreamWriter writer = connection.writer();

        out.println("[client] Send: " + repr(message));
        writer.write((message + "\n").getBytes(UTF_8));
        writer.drain();

        byte[] data = reader.readLine();
        String reply = withoutNewline(new String(data, UTF_8));
        out.println("[client] Received: " + repr(reply));

        out.println("[client] Close the connection");
        writer.close();
        writer.waitClosed();
    }

    private static String withoutNewline(String line) {
        return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    }

    /** {@return the text as Python's {@code repr} shows a string without quotes or escapes in it} */
    private static String repr(String text) {
        return "'" + text + "'";
    }

    /** {@return the address as Python shows an IPv4 socket address: {@code ('127.0.0.1', 8888)}} */
    private static String addressRepr(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return "('" + inet.getHostString() + "', " + inet.getPort() + ")";
    }
}
