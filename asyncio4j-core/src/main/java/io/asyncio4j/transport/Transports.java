package io.asyncio4j.transport;

import io.asyncio4j.internal.net.Endpoints;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * asyncio's low-level layer: transports and protocols ({@code create_connection},
 * {@code create_server}) and the {@code sock_*} functions on raw non-blocking channels. A
 * protocol-based server is the fast path: the loop calls the protocol on each read, with no task
 * switch. Call these from a task.
 */
public final class Transports {
    private Transports() {
    }

    /**
     * Connects over TCP and runs a protocol on the connection: asyncio's
     * {@code loop.create_connection}. The protocol's {@code connectionMade} has run when this
     * returns. Suspends; checks for cancellation.
     *
     * @param protocolFactory makes the connection's protocol
     * @param host the host name or address
     * @param port the port
     * @param options the options
     * @return the transport (its protocol is {@link Transport#getProtocol()})
     * @throws IOException if the connection fails
     */
    public static Transport createConnection(Supplier<? extends Protocol> protocolFactory, String host, int port,
                                             ConnectOptions options) throws IOException {
        return Endpoints.createConnection(protocolFactory, host, port, options);
    }

    /**
     * Connects over TCP with the default options; see {@link #createConnection(Supplier, String,
     * int, ConnectOptions)}.
     *
     * @param protocolFactory makes the connection's protocol
     * @param host the host
     * @param port the port
     * @return the transport
     * @throws IOException if the connection fails
     */
    public static Transport createConnection(Supplier<? extends Protocol> protocolFactory, String host, int port)
            throws IOException {
        return createConnection(protocolFactory, host, port, ConnectOptions.defaults());
    }

    /**
     * Connects to a Unix domain socket and runs a protocol on the connection. Suspends.
     *
     * @param protocolFactory makes the connection's protocol
     * @param path the socket's path
     * @param options the options
     * @return the transport
     * @throws IOException if the connection fails
     */
    public static Transport createUnixConnection(Supplier<? extends Protocol> protocolFactory, Path path,
                                                 ConnectOptions options) throws IOException {
        return Endpoints.createUnixConnection(protocolFactory, path, options);
    }


    /**
     * Listens on TCP and runs a fresh protocol on every accepted connection: asyncio's
     * {@code loop.create_server}. It accepts at once, unless
     * {@link ServerOptions#withStartServing(boolean) withStartServing(false)}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param host the address to listen on ({@code null} for every interface)
     * @param port the port ({@code 0} for any free one)
     * @param options the options
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port,
                                      ServerOptions options) throws IOException {
        return Endpoints.createServer(protocolFactory, host, port, options);
    }

    /**
     * Listens on TCP with the default options.
     *
     * @param protocolFactory makes one protocol per connection
     * @param host the address to listen on
     * @param port the port
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port)
            throws IOException {
        return createServer(protocolFactory, host, port, ServerOptions.defaults());
    }

    /**
     * Listens on a Unix domain socket. A stale socket file at the path is replaced; the file is
     * removed when the server stops.
     *
     * @param protocolFactory makes one protocol per connection
     * @param path the socket's path
     * @param options the options
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static Server createUnixServer(Supplier<? extends Protocol> protocolFactory, Path path,
                                          ServerOptions options) throws IOException {
        return Endpoints.createUnixServer(protocolFactory, path, options);
    }

    /**
     * Upgrades an open connection to TLS (STARTTLS): asyncio's {@code loop.start_tls}. The
     * transport stops delivering to its protocol; after the handshake, the returned TLS transport
     * delivers the decrypted stream to {@code protocol}. Suspends until the handshake is done;
     * checks for cancellation (which closes the connection). A handshake that takes longer than
     * 60 s fails with {@link javax.net.ssl.SSLHandshakeException}; for a shorter bound, call it in
     * a {@code timeout} scope.
     *
     * @param transport the plain transport
     * @param protocol the protocol for the TLS connection
     * @param context the TLS context
     * @param serverSide whether this side is the server
     * @param serverHostname the name the server's certificate is checked against, sent in SNI
     *     unless it is an IP literal: required on the client side, ignored on the server side
     * @return the TLS transport
     * @throws IOException if the handshake fails
     * @throws IllegalArgumentException if a client side has no {@code serverHostname}
     */
    public static Transport startTls(Transport transport, Protocol protocol, javax.net.ssl.SSLContext context,
                                     boolean serverSide, String serverHostname) throws IOException {
        return Endpoints.startTls(transport, protocol, context, serverSide, serverHostname);
    }

    /**
     * Runs a protocol on a connection accepted elsewhere: asyncio's
     * {@code loop.connect_accepted_socket} (a listener of your own, a socket inherited from
     * another process). With TLS in the options this side is the TLS server, and the call returns
     * once the handshake is done. Suspends only for that handshake; checks for cancellation.
     *
     * @param protocolFactory makes the protocol
     * @param channel the connected channel; it is made non-blocking, and closed if this fails
     * @param options the options: TLS, ALPN and the handshake timeout are used
     * @return the transport (the TLS transport when TLS is on)
     * @throws IOException if the TLS handshake fails
     * @throws IllegalArgumentException if the channel is not connected
     * @throws IllegalStateException if a transport or a server of this loop uses the channel
     */
    public static Transport connectAcceptedSocket(Supplier<? extends Protocol> protocolFactory, SocketChannel channel,
                                                  ServerOptions options) throws IOException {
        return Endpoints.connectAcceptedSocket(protocolFactory, channel, options);
    }

    // ------------------------------------------------------------------ sendfile

    /**
     * Sends a region of a file over a transport: asyncio's {@code loop.sendfile(transport, file,
     * offset, count)}. On a plain TCP or Unix transport the kernel copies the file to the socket
     * ({@link java.nio.channels.FileChannel#transferTo}, zero-copy); over TLS, or on another transport, the file is
     * read in blocks on the default executor and written, waiting while the transport is above
     * its high water mark. Bytes the transport had buffered go first. Suspends until every byte
     * was handed to the socket (or to the transport's buffer); checks for cancellation.
     *
     * <p>While it runs, the transport does not read (asyncio pauses reading too) and a plain
     * transport refuses {@code write} with an {@link IllegalStateException}. Afterwards the
     * file's position is just past the bytes sent, as asyncio leaves it, also when the call was
     * cancelled (the transport is then usable, with part of the region sent). A socket that fails
     * during the transfer is aborted.
     *
     * {@snippet :
     * try (FileChannel f = FileChannel.open(path)) {
     *     long sent = Transports.sendfile(transport, f, 0, -1);   // the whole file
     * }
     * }
     *
     * @param transport the transport
     * @param file the file, open for reading
     * @param offset where in the file to start
     * @param count how many bytes, or -1 for the rest of the file
     * @return how many bytes were sent: {@code count}, or fewer when the file ends first
     * @throws IOException if reading the file or writing to the socket fails
     * @throws IllegalArgumentException if offset or count is negative (but count -1)
     * @throws IllegalStateException if the transport is closing
     */
    public static long sendfile(Transport transport, java.nio.channels.FileChannel file, long offset, long count)
            throws IOException {
        return io.asyncio4j.internal.sendfile.Sendfile.sendfile(transport, file, offset, count);
    }

    /**
     * Sends a whole file over a transport; see {@link #sendfile(Transport, java.nio.channels.FileChannel,
     * long, long)}. Suspends; checks for cancellation.
     *
     * @param transport the transport
     * @param file the file
     * @return how many bytes were sent
     * @throws IOException if reading the file or writing to the socket fails
     */
    public static long sendfile(Transport transport, java.nio.channels.FileChannel file) throws IOException {
        return sendfile(transport, file, 0, -1);
    }

    // ------------------------------------------------------------------ sock_* functions

    /**
     * Connects a non-blocking channel: asyncio's {@code sock_connect}. Suspends; checks for
     * cancellation (the attempt may then still be pending: close the channel).
     *
     * <p>The {@code sock*} functions work on channels no transport or server uses. One task may
     * wait to receive (or accept) while another waits to send (or connect) on the same channel;
     * a second task waiting in the same direction gets an {@link IllegalStateException}. A channel
     * closed while a task waits on it does not wake that task: cancel the task instead.
     *
     * @param channel the channel, non-blocking
     * @param address the address
     * @throws IOException if the connection fails ({@link java.net.ConnectException} when refused)
     * @throws IllegalArgumentException if the channel is blocking
     * @throws IllegalStateException if a transport uses the channel, or another task waits on it
     */
    public static void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        Endpoints.sockConnect(channel, address);
    }

    /**
     * Accepts a connection on a non-blocking listening channel: asyncio's {@code sock_accept}.
     * Suspends; checks for cancellation.
     *
     * @param channel the listening channel, non-blocking
     * @return the accepted channel (non-blocking)
     * @throws IOException if accepting fails
     */
    public static SocketChannel sockAccept(ServerSocketChannel channel) throws IOException {
        return Endpoints.sockAccept(channel);
    }

    /**
     * Receives up to {@code n} bytes: asyncio's {@code sock_recv}. Suspends until data arrives;
     * checks for cancellation.
     *
     * @param channel the channel, non-blocking
     * @param n the most bytes to receive
     * @return the bytes; empty at the end of the stream
     * @throws IOException if receiving fails
     */
    public static byte[] sockRecv(SocketChannel channel, int n) throws IOException {
        return Endpoints.sockRecv(channel, n);
    }

    /**
     * Receives bytes into a buffer: asyncio's {@code sock_recv_into}. Suspends until data
     * arrives; checks for cancellation.
     *
     * @param channel the channel, non-blocking
     * @param buffer where the bytes go (from its position)
     * @return how many bytes were received; 0 at the end of the stream
     * @throws IOException if receiving fails
     */
    public static int sockRecvInto(SocketChannel channel, ByteBuffer buffer) throws IOException {
        return Endpoints.sockRecvInto(channel, buffer);
    }

    /**
     * Sends every byte: asyncio's {@code sock_sendall}. Suspends while the socket is full;
     * checks for cancellation (what was sent stays sent).
     *
     * @param channel the channel, non-blocking
     * @param data the bytes, from position to limit (consumed)
     * @throws IOException if sending fails
     */
    public static void sockSendall(SocketChannel channel, ByteBuffer data) throws IOException {
        Endpoints.sockSendall(channel, data);
    }

    /**
     * Sends every byte of an array; see {@link #sockSendall(SocketChannel, ByteBuffer)}.
     *
     * @param channel the channel, non-blocking
     * @param data the bytes
     * @throws IOException if sending fails
     */
    public static void sockSendall(SocketChannel channel, byte[] data) throws IOException {
        sockSendall(channel, ByteBuffer.wrap(data));
    }

    /**
     * Receives one datagram into a buffer: asyncio's {@code sock_recvfrom_into}. Suspends until a
     * datagram arrives; checks for cancellation (nothing is then received). What does not fit in
     * the buffer's remaining space is discarded, as the system does.
     *
     * @param channel the channel, non-blocking
     * @param buffer where the datagram goes (from its position)
     * @return the sender's address
     * @throws IOException if receiving fails ({@link java.net.PortUnreachableException} on a
     *     connected channel whose peer is not listening)
     */
    public static SocketAddress sockRecvfromInto(java.nio.channels.DatagramChannel channel, ByteBuffer buffer)
            throws IOException {
        return Endpoints.sockRecvfromInto(channel, buffer);
    }

    /**
     * Sends one datagram: asyncio's {@code sock_sendto}. Suspends while the system has no room for
     * it; checks for cancellation (nothing is then sent).
     *
     * @param channel the channel, non-blocking
     * @param data the datagram, from position to limit
     * @param target where to send it
     * @return how many bytes were sent
     * @throws IOException if sending fails
     */
    public static int sockSendto(java.nio.channels.DatagramChannel channel, ByteBuffer data, SocketAddress target)
            throws IOException {
        return Endpoints.sockSendto(channel, data, target);
    }

}
