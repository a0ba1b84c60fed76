package io.asyncio4j.internal.net;

import io.asyncio4j.ReturnWhen;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.ops.Wait;
import io.asyncio4j.internal.ops.WaitFor;
import io.asyncio4j.internal.scope.TaskGroupImpl;
import io.asyncio4j.internal.task.FutureImpl;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens client connections for the stream and transport functions: name resolution off the loop
 * thread, a non-blocking connect per address, addresses tried in order or raced (RFC 8305's
 * happy eyeballs), an optional overall timeout. A failed or cancelled attempt never leaks its
 * channel.
 */
public final class Connector {
    private Connector() {
    }

    /**
     * Connects to a host and port.
     *
     * @param host the host
     * @param port the port
     * @param local the local address to bind, or null
     * @param timeout the connect timeout, or null
     * @param happyEyeballsDelay the stagger between racing attempts, or null for one by one
     * @return the connected, non-blocking channel
     * @throws IOException the last attempt's error ({@link ConnectException} when refused)
     */
    public static SocketChannel connect(String host, int port, SocketAddress local, Duration timeout,
                                        Duration happyEyeballsDelay) throws IOException {
        return WaitFor.call(() -> connectAll(host, port, local, happyEyeballsDelay), timeout);
    }

    private static SocketChannel connectAll(String host, int port, SocketAddress local, Duration delay)
            throws IOException {
        List<InetSocketAddress> targets = new ArrayList<>();
        for (InetAddress a : Resolver.resolve(host)) {
            targets.add(new InetSocketAddress(a, port));
        }
        return connectAny(delay == null ? targets : interleaveFamilies(targets), local, delay);
    }

    /**
     * Connects to the first of several addresses that accepts: one by one in order, or raced as
     * RFC 8305 says: a new attempt every {@code delay}, or at once when the last one failed, the
     * first to connect wins and the others are cancelled and closed.
     *
     * @param targets the addresses, in the order to try them
     * @param local the local address to bind, or null
     * @param delay the stagger between racing attempts, or null for one by one
     * @return the connected, non-blocking channel
     * @throws IOException the last attempt's error, the earlier ones suppressed in it
     */
    public static SocketChannel connectAny(List<InetSocketAddress> targets, SocketAddress local, Duration delay)
            throws IOException {
        if (targets.isEmpty()) {
            throw new ConnectException("no address to connect to");
        }
        if (delay != null && targets.size() > 1) {
            return race(targets, local, delay);
        }
        IOException last = null;
        for (InetSocketAddress a : targets) {
            try {
                return connectOne(a, local);
            } catch (IOException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * Reorders addresses so the families alternate, the first address's family first (RFC 8305
     * section 4, asyncio's {@code interleave=1}): a broken IPv6 path then costs one stagger delay,
     * not one per IPv6 address.
     *
     * @param addresses the addresses in the resolver's order
     * @return the same addresses, families alternating, each family's order kept
     */
    public static List<InetSocketAddress> interleaveFamilies(List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) {
            return addresses;
        }
        boolean firstIsV6 = addresses.get(0).getAddress() instanceof Inet6Address;
        ArrayDeque<InetSocketAddress> first = new ArrayDeque<>();
        ArrayDeque<InetSocketAddress> second = new ArrayDeque<>();
        for (InetSocketAddress a : addresses) {
            ((a.getAddress() instanceof Inet6Address) == firstIsV6 ? first : second).add(a);
        }
        List<InetSocketAddress> out = new ArrayList<>(addresses.size());
        while (!first.isEmpty() || !second.isEmpty()) {
            if (!first.isEmpty()) {
                out.add(first.poll());
            }
            if (!second.isEmpty()) {
                out.add(second.poll());
            }
        }
        return out;
    }

    /**
     * Connects one channel to one address.
     *
     * @param address the address (an IP socket address or a Unix domain one)
     * @param local the local address to bind, or null
     * @return the connected channel
     * @throws IOException if the connection fails
     */
    public static SocketChannel connectOne(SocketAddress address, SocketAddress local) throws IOException {
        SocketChannel ch = address instanceof InetSocketAddress isa
                ? SocketChannel.open(isa.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                        : StandardProtocolFamily.INET)
                : SocketChannel.open(StandardProtocolFamily.UNIX);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            if (local != null) {
                ch.bind(local);
            }
            if (!ch.connect(address)) {
                while (true) {
                    IoWait.await(ch, SelectionKey.OP_CONNECT, "connect");
                    if (ch.finishConnect()) {
                        break;
                    }
                }
            }
            ok = true;
            return ch;
        } catch (ConnectException e) {
            ConnectException precise = new ConnectException(e.getMessage() + ": " + address);
            precise.initCause(e);
            throw precise;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    /**
     * RFC 8305, as trio's open_tcp_stream does it: the attempts are tasks of one task group; a new
     * one starts every {@code delay}, or at once when the last one failed; the first to connect
     * cancels the group, so the others are cancelled (their channels closed) or, if they
     * connected too, closed. The group cleans up whatever happens: a cancellation of the caller,
     * a timeout, a bug in an attempt.
     */
    private static SocketChannel race(List<InetSocketAddress> addresses, SocketAddress local, Duration delay)
            throws IOException {
        EventLoopImpl loop = EventLoopImpl.running();
        SocketChannel[] winner = new SocketChannel[1];
        List<IOException> failures = new ArrayList<>();
        TaskGroupImpl.run(group -> {
            for (int i = 0; i < addresses.size() && winner[0] == null; i++) {
                InetSocketAddress target = addresses.get(i);
                FutureImpl<Void> failed = new FutureImpl<>(loop);
                group.createTask(() -> {
                    try {
                        SocketChannel ch = connectOne(target, local);
                        if (winner[0] == null) {
                            winner[0] = ch;
                            group.cancel();
                        } else {
                            closeQuietly(ch); // connected in the same iteration as the winner
                        }
                    } catch (IOException e) {
                        failures.add(e);
                        failed.setResult(null);
                    }
                });
                if (i + 1 < addresses.size()) {
                    Wait.of(List.of(failed), ReturnWhen.FIRST_COMPLETED, delay);
                }
            }
            return null;
        });
        if (winner[0] != null) {
            return winner[0];
        }
        IOException last = null;
        for (IOException e : failures) {
            if (last != null) {
                e.addSuppressed(last);
            }
            last = e;
        }
        throw last != null ? last : new ConnectException("no address to connect to");
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
