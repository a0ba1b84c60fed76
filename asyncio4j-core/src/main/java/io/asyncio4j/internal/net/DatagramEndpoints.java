package io.asyncio4j.internal.net;

import io.asyncio4j.internal.net.DatagramTransportImpl;
import io.asyncio4j.internal.loop.EventLoopImpl;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.datagram.DatagramOptions;
import io.asyncio4j.datagram.DatagramProtocol;
import io.asyncio4j.datagram.DatagramTransport;

/** The machinery behind {@link io.asyncio4j.datagram.Datagrams}. */
public final class DatagramEndpoints {
    private DatagramEndpoints() {
    }

    public static DatagramTransport createDatagramEndpoint(Supplier<? extends DatagramProtocol> protocolFactory,
                                                           SocketAddress local, SocketAddress remote,
                                                           DatagramOptions options) throws IOException {
        TaskImpl.currentOrThrow("createDatagramEndpoint()").checkpointBeforeSuspend();
        List<InetSocketAddress> locals = local == null ? nullList() : expand(local);
        List<InetSocketAddress> remotes = remote == null ? nullList() : expand(remote);
        return open(protocolFactory, locals, remotes, options);
    }

    public static DatagramTransport createDatagramEndpoint(Supplier<? extends DatagramProtocol> protocolFactory,
                                                           String localHost, int localPort, String remoteHost,
                                                           int remotePort, DatagramOptions options)
            throws IOException {
        TaskImpl.currentOrThrow("createDatagramEndpoint()").checkpointBeforeSuspend();
        checkPort(localPort);
        checkPort(remotePort);
        if (remoteHost == null && remotePort != 0) {
            throw new IllegalArgumentException("a remote port (" + remotePort + ") needs a remote host");
        }
        List<InetSocketAddress> locals;
        if (localHost != null) {
            locals = withPort(Resolver.resolve(localHost), localPort);
        } else if (localPort != 0) {
            locals = List.of(new InetSocketAddress(localPort)); // the wildcard address
        } else {
            locals = nullList();
        }
        List<InetSocketAddress> remotes = remoteHost == null ? nullList()
                : withPort(Resolver.resolve(remoteHost), remotePort);
        return open(protocolFactory, locals, remotes, options);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    private static List<InetSocketAddress> nullList() {
        List<InetSocketAddress> l = new ArrayList<>(1);
        l.add(null);
        return l;
    }

    private static List<InetSocketAddress> withPort(List<InetAddress> addresses, int port) {
        List<InetSocketAddress> out = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            InetSocketAddress sa = new InetSocketAddress(a, port);
            if (!out.contains(sa)) {
                out.add(sa);
            }
        }
        return out;
    }

    private static List<InetSocketAddress> expand(SocketAddress address) throws IOException {
        if (!(address instanceof InetSocketAddress isa)) {
            throw new IllegalArgumentException("a datagram endpoint needs IP socket addresses (InetSocketAddress), "
                    + "not " + address.getClass().getName());
        }
        if (!isa.isUnresolved()) {
            return List.of(isa);
        }
        return withPort(Resolver.resolve(isa.getHostString()), isa.getPort());
    }

    private static ProtocolFamily family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static boolean isWildcard(InetSocketAddress a) {
        return a != null && a.getAddress().isAnyLocalAddress();
    }

    private static DatagramTransport open(Supplier<? extends DatagramProtocol> protocolFactory,
                                          List<InetSocketAddress> locals, List<InetSocketAddress> remotes,
                                          DatagramOptions options) throws IOException {
        EventLoopImpl loop = EventLoopImpl.running();
        IOException last = null;
        boolean anyPair = false;
        for (InetSocketAddress remote : remotes) {
            for (InetSocketAddress local : locals) {
                ProtocolFamily family = remote != null ? family(remote)
                        : local != null && !isWildcard(local) ? family(local) : null;
                if (local != null && family != null) {
                    if (isWildcard(local)) {
                        local = wildcard(family, local.getPort());
                    } else if (family(local) != family) {
                        continue; // an IPv4 local address cannot reach an IPv6 peer, and the reverse
                    }
                }
                anyPair = true;
                DatagramChannel ch;
                try {
                    ch = setUp(family, local, remote, options);
                } catch (IOException e) {
                    if (last != null) {
                        e.addSuppressed(last);
                    }
                    last = e;
                    continue;
                }
                boolean ok = false;
                try {
                    DatagramTransport t = DatagramTransportImpl.start(loop, ch, protocolFactory.get());
                    ok = true;
                    return t;
                } finally {
                    if (!ok) {
                        ch.close();
                    }
                }
            }
        }
        if (!anyPair) {
            throw new IllegalArgumentException("no local address " + locals + " has the family of the remote "
                    + "address " + remotes);
        }
        throw last;
    }

    private static InetSocketAddress wildcard(ProtocolFamily family, int port) throws IOException {
        byte[] any = new byte[family == StandardProtocolFamily.INET6 ? 16 : 4];
        return new InetSocketAddress(InetAddress.getByAddress(any), port);
    }

    private static DatagramChannel setUp(ProtocolFamily family, InetSocketAddress local, InetSocketAddress remote,
                                         DatagramOptions options) throws IOException {
        DatagramChannel ch = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            if (options.reuseAddress()) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (options.reusePort()) {
                if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("reusePort: SO_REUSEPORT is not supported on this "
                            + "platform");
                }
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (options.allowBroadcast()) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            if (local != null || remote == null) {
                ch.bind(local); // null: an ephemeral port on every interface
            }
            if (remote != null) {
                ch.connect(remote);
            }
            ok = true;
            return ch;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }
}
