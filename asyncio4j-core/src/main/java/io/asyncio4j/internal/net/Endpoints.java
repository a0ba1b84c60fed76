package io.asyncio4j.internal.net;

import java.io.IOException;
import io.asyncio4j.internal.ops.WaitFor;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.tls.TlsSupport;

/** The machinery behind {@link io.asyncio4j.transport.Transports}. */
public final class Endpoints {
    private Endpoints() {
    }

    public static Transport createConnection(Supplier<? extends Protocol> protocolFactory, String host, int port,
                                             ConnectOptions options) throws IOException {
        SocketChannel ch = Connector.connect(host, port, options.localAddress(), options.connectTimeout(),
                options.happyEyeballsDelay());
        return start(ch, protocolFactory, options, options.serverHostname() != null ? options.serverHostname() : host);
    }

    public static Transport createUnixConnection(Supplier<? extends Protocol> protocolFactory, Path path,
                                                 ConnectOptions options) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        SocketChannel ch = WaitFor.call(() -> Connector.connectOne(address, null), options.connectTimeout());
        return start(ch, protocolFactory, options, options.serverHostname());
    }

    private static Transport start(SocketChannel ch, Supplier<? extends Protocol> protocolFactory,
                                   ConnectOptions options, String serverHostname) throws IOException {
        EventLoopImpl loop = EventLoopImpl.running();
        boolean ok = false;
        try {
            Protocol protocol = protocolFactory.get();
            Transport t;
            if (options.ssl() != null) {
                t = TlsSupport.clientSide(loop, ch, protocol, options, serverHostname);
            } else {
                t = TcpTransport.start(loop, ch, protocol, null);
            }
            ok = true;
            return t;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port,
                                      ServerOptions options) throws IOException {
        if (options.loopGroup() != null) {
            return io.asyncio4j.internal.group.GroupServers.startTcp(protocolFactory, host, port, options);
        }
        EventLoopImpl loop = EventLoopImpl.running();
        return listen(loop, listenAddresses(host, port), TlsSupport.serverFactory(protocolFactory, options), options);
    }

    /**
     * Resolves what a TCP server listens on: every interface for a {@code null} host, else one
     * address per distinct address the host resolves to. Suspends while resolving.
     *
     * @param host the host, or {@code null}
     * @param port the port
     * @return the addresses
     * @throws IOException if the host does not resolve
     */
    public static List<SocketAddress> listenAddresses(String host, int port) throws IOException {
        List<SocketAddress> targets = new ArrayList<>();
        if (host == null) {
            targets.add(new InetSocketAddress(port));
        } else {
            for (InetAddress a : Resolver.resolve(host)) {
                InetSocketAddress sa = new InetSocketAddress(a, port);
                if (!targets.contains(sa)) {
                    targets.add(sa);
                }
            }
        }
        return targets;
    }

    /**
     * Listens on TCP addresses (each socket opened with its address's family, the options set,
     * bound) and starts a server on a loop; nothing stays open if one fails.
     *
     * @param loop the loop, the calling one
     * @param targets the addresses
     * @param factory makes one protocol per connection (TLS included)
     * @param options the options
     * @return the server
     * @throws IOException if an address cannot be bound
     */
    public static ServerImpl listen(EventLoopImpl loop, List<SocketAddress> targets, Supplier<? extends Protocol> factory,
                                    ServerOptions options) throws IOException {
        List<ServerSocketChannel> listeners = new ArrayList<>();
        boolean ok = false;
        try {
            for (SocketAddress sa : targets) {
                ServerSocketChannel ch = openListener(sa);
                listeners.add(ch);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                if (options.reusePort()) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                ch.bind(sa, options.backlog());
            }
            ServerImpl s = ServerImpl.start(loop, listeners, factory, false, options.startServing());
            ok = true;
            return s;
        } finally {
            if (!ok) {
                for (ServerSocketChannel ch : listeners) {
                    ch.close();
                }
            }
        }
    }

    /**
     * Opens a listening channel of the address's own family: an IPv4 address gets an IPv4 socket,
     * so 0.0.0.0 listens on IPv4 only, as asyncio does. An IPv6 socket is dual-stack in the JDK
     * (it clears IPV6_V6ONLY and offers no way to set it), so {@code ::} and the wildcard of a
     * {@code null} host accept IPv4 clients too, and cannot share a port with 0.0.0.0.
     */
    private static ServerSocketChannel openListener(SocketAddress sa) throws IOException {
        if (sa instanceof InetSocketAddress isa && isa.getAddress() instanceof Inet4Address) {
            return ServerSocketChannel.open(StandardProtocolFamily.INET);
        }
        return ServerSocketChannel.open();
    }

    public static Server createUnixServer(Supplier<? extends Protocol> protocolFactory, Path path,
                                          ServerOptions options) throws IOException {
        if (options.loopGroup() != null) {
            return io.asyncio4j.internal.group.GroupServers.startUnix(protocolFactory, path, options);
        }
        return listenUnix(EventLoopImpl.running(), path, TlsSupport.serverFactory(protocolFactory, options), options);
    }

    /**
     * Listens on a Unix domain socket (a stale socket file at the path replaced) and starts a
     * server on a loop that removes the file when it stops.
     *
     * @param loop the loop, the calling one
     * @param path the socket's path
     * @param factory makes one protocol per connection (TLS included)
     * @param options the options
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static ServerImpl listenUnix(EventLoopImpl loop, Path path, Supplier<? extends Protocol> factory,
                                        ServerOptions options) throws IOException {
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()) {
            Files.delete(path); // a socket left by an earlier process
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean ok = false;
        try {
            ch.bind(UnixDomainSocketAddress.of(path), options.backlog());
            ServerImpl s = ServerImpl.start(loop, List.of(ch), factory, true, options.startServing());
            ok = true;
            return s;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    public static Transport startTls(Transport transport, Protocol protocol, javax.net.ssl.SSLContext context,
                                     boolean serverSide, String serverHostname) throws IOException {
        EventLoopImpl loop = EventLoopImpl.running();
        javax.net.ssl.SSLEngine engine;
        if (serverSide) {
            engine = context.createSSLEngine();
            engine.setUseClientMode(false);
        } else {
            engine = TlsSupport.clientEngine(context, serverHostname, List.of(), -1);
        }
        io.asyncio4j.internal.tls.SslTransport tls = new io.asyncio4j.internal.tls.SslTransport(loop, engine, protocol);
        tls.startOver(transport);
        TlsSupport.awaitHandshake(tls, java.time.Duration.ofSeconds(60));
        return tls;
    }

    public static Transport connectAcceptedSocket(Supplier<? extends Protocol> protocolFactory, SocketChannel channel,
                                                  ServerOptions options) throws IOException {
        EventLoopImpl loop = EventLoopImpl.running();
        if (!channel.isConnected()) {
            throw new IllegalArgumentException("the channel is not connected: " + channel);
        }
        channel.configureBlocking(false);
        IoWait.checkUsable(loop, channel);
        boolean ok = false;
        try {
            Protocol protocol = TlsSupport.serverFactory(protocolFactory, options).get();
            Transport transport = TcpTransport.start(loop, channel, protocol, null);
            if (protocol instanceof io.asyncio4j.internal.tls.SslTransport tls) {
                TlsSupport.awaitHandshake(tls, options.sslHandshakeTimeout());
                transport = tls;
            }
            ok = true;
            return transport;
        } finally {
            if (!ok) {
                channel.close();
            }
        }
    }

    public static void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        checkUsable(channel);
        if (!channel.connect(address)) {
            do {
                IoWait.await(channel, SelectionKey.OP_CONNECT, "sockConnect()");
            } while (!channel.finishConnect());
        }
    }

    public static SocketChannel sockAccept(ServerSocketChannel channel) throws IOException {
        checkUsable(channel);
        while (true) {
            SocketChannel ch = channel.accept();
            if (ch != null) {
                ch.configureBlocking(false);
                return ch;
            }
            IoWait.await(channel, SelectionKey.OP_ACCEPT, "sockAccept()");
        }
    }

    public static byte[] sockRecv(SocketChannel channel, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        int got = sockRecvInto(channel, buf);
        return got <= 0 ? new byte[0] : java.util.Arrays.copyOf(buf.array(), got);
    }

    public static int sockRecvInto(SocketChannel channel, ByteBuffer buffer) throws IOException {
        checkUsable(channel);
        while (true) {
            int n = channel.read(buffer);
            if (n < 0) {
                return 0;
            }
            if (n > 0 || !buffer.hasRemaining()) {
                return n;
            }
            IoWait.await(channel, SelectionKey.OP_READ, "sockRecv()");
        }
    }

    public static void sockSendall(SocketChannel channel, ByteBuffer data) throws IOException {
        checkUsable(channel);
        while (data.hasRemaining()) {
            if (channel.write(data) == 0) {
                IoWait.await(channel, SelectionKey.OP_WRITE, "sockSendall()");
            }
        }
    }

    public static SocketAddress sockRecvfromInto(java.nio.channels.DatagramChannel channel, ByteBuffer buffer)
            throws IOException {
        checkUsable(channel);
        while (true) {
            SocketAddress from = channel.receive(buffer);
            if (from != null) {
                return from;
            }
            IoWait.await(channel, SelectionKey.OP_READ, "sockRecvfromInto()");
        }
    }

    public static int sockSendto(java.nio.channels.DatagramChannel channel, ByteBuffer data, SocketAddress target)
            throws IOException {
        checkUsable(channel);
        while (true) {
            int size = data.remaining();
            if (channel.send(data, target) > 0 || size == 0) {
                return size;
            }
            IoWait.await(channel, SelectionKey.OP_WRITE, "sockSendto()");
        }
    }

    private static void checkUsable(java.nio.channels.SelectableChannel channel) {
        IoWait.checkUsable(EventLoopImpl.running(), channel);
    }
}
