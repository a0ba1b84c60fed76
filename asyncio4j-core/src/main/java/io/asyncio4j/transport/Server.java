package io.asyncio4j.transport;

import java.net.SocketAddress;
import java.util.List;
import io.asyncio4j.stream.Streams;

/**
 * A listening server: asyncio's {@code Server}, made by {@link Streams#startServer} or
 * {@link Transports#createServer}. It accepts connections as soon as it is created (unless made
 * with {@link ServerOptions#withStartServing(boolean) withStartServing(false)}); each one is
 * handled by a task of its own (streams) or by a protocol (transports).
 *
 * {@snippet :
 * try (Server server = Streams.startServer(Echo::handle, "127.0.0.1", 8888)) {
 *     server.serveForever();
 * }
 * }
 *
 * <p>{@link #close()} of try-with-resources stops listening, then waits until every connection
 * is gone, as {@code async with server} does. A stream server's handler that throws has its
 * exception reported to the loop's exception handler ({@code "Unhandled exception in
 * client_connected_cb"}) and its connection closed; a handler task that is cancelled closes its
 * connection too.
 *
 * <p><b>Cancellation.</b> Cancelling {@link #serveForever()} stops listening: the listening
 * sockets are closed when the cancellation is delivered, connections already accepted stay open
 * (asyncio 3.12.1+ would also wait for them; call {@link #waitClosed()} for that). Closing the
 * server from another task makes serveForever() return normally (asyncio cancels it instead).
 * Cancelling {@link #waitClosed()} or {@link #close()} while they wait leaves the server as it
 * was: close() has stopped listening already, the connections stay.
 */
public interface Server extends AutoCloseable {

    /** {@return the addresses the server listens on (the actual ports when 0 was asked)} */
    List<SocketAddress> sockets();

    /**
     * Returns the TCP port the server listens on: the one the system chose when 0 was asked.
     * Every listening socket of a server started on one port shares it.
     *
     * @return the port
     * @throws IllegalStateException if the server listens on a Unix domain socket
     */
    default int port() {
        for (SocketAddress a : sockets()) {
            if (a instanceof java.net.InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        throw new IllegalStateException("the server listens on no TCP port: " + sockets());
    }

    /** {@return whether the server accepts connections} */
    boolean isServing();

    /**
     * Starts accepting connections, for a server made with
     * {@link ServerOptions#withStartServing(boolean) withStartServing(false)}: asyncio's
     * {@code start_serving}. Idempotent. Never suspends.
     *
     * @throws IllegalStateException if the server is closed
     */
    void startServing();

    /** {@return the loop the server runs on} */
    io.asyncio4j.EventLoop getLoop();

    /**
     * Accepts connections (starting to, if it was not yet) until cancelled or until the server is
     * closed; cancelling it closes the server (it stops listening; connections stay open).
     * Returns normally when the server is closed by {@link #stopListening()} or {@link #close()}
     * from elsewhere. Suspends; checks for cancellation.
     *
     * @throws IllegalStateException if the server is closed or already serving forever
     */
    void serveForever();

    /**
     * Stops listening: the listening sockets are closed before this returns, so new connections
     * are refused; connections already accepted stay open. Ends a {@link #serveForever()}.
     * Idempotent. Never suspends.
     */
    void stopListening();

    /**
     * Waits until the server stopped listening and every connection is closed. Suspends; checks
     * for cancellation.
     */
    void waitClosed();

    /** Closes every connection the server accepted (their buffers are flushed). Never suspends. */
    void closeClients();

    /** Closes every connection the server accepted at once. Never suspends. */
    void abortClients();

    /**
     * Stops listening and waits until every connection is closed: {@link #stopListening()}, then
     * {@link #waitClosed()}. Suspends.
     *
     * @apiNote A connection whose handler never ends keeps this waiting, as in asyncio: call
     *     {@link #closeClients()} (or {@link #abortClients()}) first to end them, or bound the wait
     *     with a timeout scope.
     */
    @Override
    void close();
}
