package io.asyncio4j.internal.net;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.ops.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Name resolution for the loop (asyncio's getaddrinfo and getnameinfo): an address literal at
 * once, a name on the default executor, since the JDK's resolver blocks.
 */
public final class Resolver {
    private Resolver() {
    }

    /**
     * Resolves a host name: a literal address at once, a name on the default executor. Suspends
     * for a name; checks for cancellation.
     *
     * @param host the host
     * @return its addresses, in the resolver's order
     * @throws UnknownHostException if it has none
     */
    public static List<InetAddress> resolve(String host) throws UnknownHostException {
        try {
            return List.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException notALiteral) {
            EventLoopImpl loop = EventLoopImpl.running();
            return List.of(Await.await(loop.runInExecutor(() -> InetAddress.getAllByName(host))));
        }
    }

    /**
     * asyncio's getaddrinfo: the socket addresses of a host and port.
     *
     * @param host the host
     * @param port the port
     * @return the addresses
     * @throws UnknownHostException if the host has none
     */
    public static List<InetSocketAddress> getAddrInfo(String host, int port) throws UnknownHostException {
        List<InetAddress> addresses = resolve(Objects.requireNonNull(host, "host"));
        List<InetSocketAddress> out = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /**
     * asyncio's getnameinfo: a reverse lookup on the default executor.
     *
     * @param loop the loop
     * @param address the address
     * @return its host name, or the address literal when it has none
     */
    public static String getNameInfo(EventLoopImpl loop, InetAddress address) {
        InetAddress a = Objects.requireNonNull(address, "address");
        return Await.await(loop.runInExecutor(a::getHostName));
    }
}
