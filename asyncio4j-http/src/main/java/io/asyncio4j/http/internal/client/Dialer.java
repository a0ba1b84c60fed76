package io.asyncio4j.http.internal.client;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Future;
import io.asyncio4j.ReturnWhen;
import io.asyncio4j.TimeoutError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Connects to the first of a host's addresses that accepts, racing them as RFC 8305 says (happy
 * eyeballs): the client resolves through its DNS cache and then connects to explicit addresses,
 * as aiohttp does with aiohappyeyeballs, since the core's public {@code createConnection} takes a
 * host to resolve itself and races only the addresses it resolved. The race is the core's own
 * (trio's {@code open_tcp_stream}): families interleaved, a new attempt every {@code delay} or at
 * once when the last one failed, the first to connect wins, the others are cancelled or closed.
 * Each attempt has a connection of its own, so nothing is switched over to the winner.
 */
final class Dialer {
    private Dialer() {
    }

    /** One attempt: connects to one address and returns its connection, open. */
    @FunctionalInterface
    interface Attempt {
        ClientConnection connect(InetSocketAddress address) throws IOException;
    }

    /**
     * Connects to one of the addresses. Suspends; checks for cancellation.
     *
     * @param addresses the addresses, in the resolver's order
     * @param delay how long one attempt has before the next starts
     * @param attempt connects to one address
     * @return the winner's connection
     * @throws IOException the last attempt's error, the earlier ones suppressed in it
     * @throws TimeoutError if the last attempt's connect timeout passed
     */
    static ClientConnection connect(List<InetSocketAddress> addresses, Duration delay, Attempt attempt)
            throws IOException {
        if (addresses.size() == 1) {
            return attempt.connect(addresses.get(0));
        }
        List<InetSocketAddress> targets = interleaveFamilies(addresses);
        ClientConnection[] winner = new ClientConnection[1];
        List<RuntimeException> timeouts = new ArrayList<>();
        List<IOException> failures = new ArrayList<>();
        boolean ok = false;
        try {
            race(targets, delay, attempt, winner, failures, timeouts);
            ok = true;
        } finally {
            if (!ok && winner[0] != null) {
                winner[0].abort(); // won, then the caller was cancelled or timed out while the losers ended
            }
        }
        if (winner[0] != null) {
            return winner[0];
        }
        if (failures.isEmpty() && !timeouts.isEmpty()) {
            throw timeouts.getLast();
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

    private static void race(List<InetSocketAddress> targets, Duration delay, Attempt attempt,
                             ClientConnection[] winner, List<IOException> failures, List<RuntimeException> timeouts) {
        Asyncio.taskGroup(group -> {
            for (int i = 0; i < targets.size() && winner[0] == null; i++) {
                InetSocketAddress target = targets.get(i);
                Future<Void> failed = Asyncio.createFuture();
                group.createTask(() -> {
                    try {
                        ClientConnection c = attempt.connect(target);
                        if (winner[0] == null) {
                            winner[0] = c;
                            group.cancel();
                        } else {
                            c.abort(); // connected in the same iteration as the winner
                        }
                    } catch (IOException e) {
                        failures.add(e);
                        failed.setResult(null);
                    } catch (TimeoutError e) {
                        timeouts.add(e); // this attempt's own connect timeout (sockConnect)
                        failed.setResult(null);
                    }
                });
                if (i + 1 < targets.size()) {
                    Asyncio.waitFutures(List.of(failed), ReturnWhen.FIRST_COMPLETED, delay);
                }
            }
            return null;
        });
    }

    /**
     * Reorders addresses so the families alternate, the first address's family first (RFC 8305
     * section 4): a broken IPv6 path then costs one stagger delay, not one per IPv6 address.
     */
    static List<InetSocketAddress> interleaveFamilies(List<InetSocketAddress> addresses) {
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
}
