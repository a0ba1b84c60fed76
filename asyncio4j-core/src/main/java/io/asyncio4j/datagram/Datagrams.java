package io.asyncio4j.datagram;

import io.asyncio4j.internal.net.DatagramEndpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * UDP endpoints: asyncio's {@code loop.create_datagram_endpoint}. An endpoint is a
 * {@link DatagramTransport} driven by the loop plus the {@link DatagramProtocol} it calls for every
 * datagram, with no task switch per datagram. Call these from a task.
 *
 * {@snippet :
 * // a UDP echo server on port 9999
 * DatagramTransport server = Datagrams.createDatagramEndpoint(() -> new DatagramProtocol() {
 *     DatagramTransport t;
 *     public void connectionMade(DatagramTransport transport) { t = transport; }
 *     public void datagramReceived(ByteBuffer data, SocketAddress from) { t.sendto(data, from); }
 * }, new InetSocketAddress("127.0.0.1", 9999), null);
 * }
 */
public final class Datagrams {
    private Datagrams() {
    }

    /**
     * Opens a UDP endpoint and runs a protocol on it: asyncio's
     * {@code loop.create_datagram_endpoint(factory, local_addr, remote_addr)}. With a local address
     * the socket is bound to it; with a remote address the socket is connected to that peer (see
     * {@link DatagramTransport}); with neither, it is bound to an ephemeral port on every
     * interface. The protocol's {@code connectionMade} has run when this returns. Suspends only to
     * resolve an unresolved address ({@link InetSocketAddress#createUnresolved}); checks for
     * cancellation.
     *
     * @param protocolFactory makes the endpoint's protocol
     * @param local the local address to bind, or {@code null}
     * @param remote the peer to connect to, or {@code null} for an unconnected endpoint
     * @param options the socket options
     * @return the transport (its protocol is {@link DatagramTransport#getProtocol()})
     * @throws IOException if the socket cannot be opened, bound or connected
     * @throws IllegalArgumentException if an address is not an IP socket address, or the local and
     *     remote addresses are of different families
     * @throws IllegalStateException if not called from a task
     */
    public static DatagramTransport createDatagramEndpoint(Supplier<? extends DatagramProtocol> protocolFactory,
                                                           SocketAddress local, SocketAddress remote,
                                                           DatagramOptions options) throws IOException {
        return DatagramEndpoints.createDatagramEndpoint(protocolFactory, local, remote, options);
    }

    /**
     * Opens a UDP endpoint with the default options; see {@link #createDatagramEndpoint(Supplier,
     * SocketAddress, SocketAddress, DatagramOptions)}. Suspends only to resolve an unresolved
     * address; checks for cancellation.
     *
     * @param protocolFactory makes the endpoint's protocol
     * @param local the local address to bind, or {@code null}
     * @param remote the peer to connect to, or {@code null} for an unconnected endpoint
     * @return the transport
     * @throws IOException if the socket cannot be opened, bound or connected
     */
    public static DatagramTransport createDatagramEndpoint(Supplier<? extends DatagramProtocol> protocolFactory,
                                                           SocketAddress local, SocketAddress remote)
            throws IOException {
        return createDatagramEndpoint(protocolFactory, local, remote, DatagramOptions.defaults());
    }

    /**
     * Opens a UDP endpoint on host names and ports, resolving the names first: asyncio's
     * {@code create_datagram_endpoint(factory, local_addr=(host, port), remote_addr=(host, port))}.
     * Each resolved local and remote address pair of the same family is tried in turn until one
     * binds and connects. Suspends (to resolve names); checks for cancellation.
     *
     * @param protocolFactory makes the endpoint's protocol
     * @param localHost the local host name or address to bind, or {@code null} for every interface
     * @param localPort the local port, or {@code 0} for an ephemeral one
     * @param remoteHost the peer's host name or address, or {@code null} for an unconnected endpoint
     * @param remotePort the peer's port ({@code 0} when {@code remoteHost} is {@code null})
     * @param options the socket options
     * @return the transport
     * @throws IOException if a name does not resolve, or the socket cannot be opened, bound or
     *     connected (the last attempt's error)
     * @throws IllegalArgumentException if a port is out of range, or a remote port comes without a
     *     remote host
     */
    public static DatagramTransport createDatagramEndpoint(Supplier<? extends DatagramProtocol> protocolFactory,
                                                           String localHost, int localPort, String remoteHost,
                                                           int remotePort, DatagramOptions options)
            throws IOException {
        return DatagramEndpoints.createDatagramEndpoint(protocolFactory, localHost, localPort, remoteHost, remotePort,
                options);
    }

    /**
     * Opens a UDP endpoint on host names and ports with the default options; see
     * {@link #createDatagramEndpoint(Supplier, String, int, String, int, DatagramOptions)}.
     * Suspends (to resolve names); checks for cancellation.
     *
     * @param protocolFactory makes the endpoint's protocol
     * @param localHost the local host to bind, or {@code null} for every interface
     * @param localPort the local port, or {@code 0} for an ephemeral one
     * @param remoteHost the peer's host, or {@code null} for an unconnected endpoint
     * @param remotePort the peer's port ({@code 0} when {@code remoteHost} is {@code null})
     * @return the transport
     * @throws IOException if a name does not resolve or the socket cannot be set up
     */
    public static DatagramTransport createDatagramEndpoint(Supplier<? extends DatagramProtocol> protocolFactory,
                                                           String localHost, int localPort, String remoteHost,
                                                           int remotePort) throws IOException {
        return createDatagramEndpoint(protocolFactory, localHost, localPort, remoteHost, remotePort,
                DatagramOptions.defaults());
    }





    /** A resolved address as is; an unresolved one resolved (which may suspend). */



    /** Tries each (local, remote) pair of one family; the first that binds and connects wins. */


}
