package io.asyncio4j.stream;

import java.io.IOException;
import java.nio.file.Path;
import io.asyncio4j.internal.net.StreamProtocol;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transports;

/**
 * High-level stream connections: asyncio's {@code open_connection} and {@code start_server}, over
 * TCP or Unix domain sockets, optionally with TLS. Call them from a task.
 *
 * {@snippet :
 * // a client
 * Streams.Connection c = Streams.openConnection("127.0.0.1", 8888);
 * c.writer().write("hello\n".getBytes(UTF_8));
 * byte[] reply = c.reader().readLine();
 * c.close();
 *
 * // a server: each connection runs handle(reader, writer) in a task of its own
 * try (Server server = Streams.startServer(Echo::handle, "127.0.0.1", 8888)) {
 *     server.serveForever();
 * }
 * }
 */
public final class Streams {
    private Streams() {
    }

    /** Handles one accepted connection, in a task of its own: asyncio's {@code client_connected_cb}. */
    @FunctionalInterface
    public interface ClientHandler {

        /**
         * Handles the connection. An exception is reported to the loop's exception handler (as
         * {@code "Unhandled exception in client_connected_cb"}) and closes the connection, after
         * flushing what was written; a cancellation closes it too. Returning leaves the connection
         * as it is (close the writer to end it).
         *
         * @param reader the connection's reader
         * @param writer the connection's writer
         * @throws Exception a failure
         */
        void handle(StreamReader reader, StreamWriter writer) throws Exception;
    }

    /**
     * An open stream connection: asyncio's {@code (reader, writer)} pair. {@link #close()} closes
     * the writer and waits until the connection is closed.
     *
     * @param reader the receiving side
     * @param writer the sending side
     */
    public record Connection(StreamReader reader, StreamWriter writer) implements AutoCloseable {

        /**
         * Closes the connection and waits until it is closed. Suspends.
         *
         * @throws IOException the error the connection was lost with, if any
         */
        @Override
        public void close() throws IOException {
            writer.close();
            writer.waitClosed();
        }
    }

    /**
     * Opens a TCP connection with the default options. Suspends; checks for cancellation.
     *
     * @param host the host name or address
     * @param port the port
     * @return the connection
     * @throws IOException if it fails: {@link java.net.ConnectException} when refused,
     *     {@link java.net.UnknownHostException} when the name does not resolve
     */
    public static Connection openConnection(String host, int port) throws IOException {
        return openConnection(host, port, ConnectOptions.defaults());
    }

    /**
     * Opens a TCP connection, optionally with TLS. Suspends; checks for cancellation.
     *
     * @param host the host name or address
     * @param port the port
     * @param options the options
     * @return the connection
     * @throws IOException if it fails ({@link javax.net.ssl.SSLException} when the TLS handshake
     *     fails; an {@link io.asyncio4j.TimeoutError} is thrown when the connect timeout passes)
     */
    public static Connection openConnection(String host, int port, ConnectOptions options) throws IOException {
        StreamProtocol protocol = StreamProtocol.forClient(options.limit(), options.ssl() != null);
        Transports.createConnection(() -> protocol, host, port, options);
        return new Connection(protocol.reader(), protocol.writer());
    }

    /**
     * Opens a Unix domain socket connection. Suspends; checks for cancellation.
     *
     * @param path the socket's path
     * @param options the options (TLS, limit)
     * @return the connection
     * @throws IOException if it fails
     */
    public static Connection openUnixConnection(Path path, ConnectOptions options) throws IOException {
        StreamProtocol protocol = StreamProtocol.forClient(options.limit(), options.ssl() != null);
        Transports.createUnixConnection(() -> protocol, path, options);
        return new Connection(protocol.reader(), protocol.writer());
    }

    /**
     * Opens a Unix domain socket connection with the default options. Suspends.
     *
     * @param path the socket's path
     * @return the connection
     * @throws IOException if it fails
     */
    public static Connection openUnixConnection(Path path) throws IOException {
        return openUnixConnection(path, ConnectOptions.defaults());
    }

    /**
     * Starts a TCP server with the default options; it accepts at once. Never suspends except
     * to resolve a host name.
     *
     * @param handler runs once per connection, in a task of its own
     * @param host the address to listen on ({@code null} for every interface)
     * @param port the port ({@code 0} for any free one; see {@link Server#sockets()})
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server startServer(ClientHandler handler, String host, int port) throws IOException {
        return startServer(handler, host, port, ServerOptions.defaults());
    }

    /**
     * Starts a TCP server, optionally with TLS.
     *
     * @param handler runs once per connection, in a task of its own
     * @param host the address to listen on ({@code null} for every interface)
     * @param port the port ({@code 0} for any free one)
     * @param options the options
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server startServer(ClientHandler handler, String host, int port, ServerOptions options)
            throws IOException {
        return Transports.createServer(StreamProtocol.serverFactory(handler, options.limit(), options.ssl() != null),
                host, port, options);
    }

    /**
     * Starts a Unix domain socket server. A stale socket file at the path is replaced; the file is
     * removed when the server stops (asyncio 3.13's {@code cleanup_socket}).
     *
     * @param handler runs once per connection, in a task of its own
     * @param path the socket's path
     * @param options the options
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server startUnixServer(ClientHandler handler, Path path, ServerOptions options) throws IOException {
        return Transports.createUnixServer(StreamProtocol.serverFactory(handler, options.limit(), options.ssl() != null),
                path, options);
    }

    /**
     * Starts a Unix domain socket server with the default options.
     *
     * @param handler runs once per connection
     * @param path the socket's path
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server startUnixServer(ClientHandler handler, Path path) throws IOException {
        return startUnixServer(handler, path, ServerOptions.defaults());
    }
}
