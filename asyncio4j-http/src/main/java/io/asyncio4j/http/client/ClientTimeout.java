package io.asyncio4j.http.client;

import java.time.Duration;

/**
 * A request's timeouts: aiohttp's {@code ClientTimeout}, with each field's meaning fixed in one
 * table ({@code null} means no limit):
 *
 * <table class="striped">
 * <caption>What each timeout bounds</caption>
 * <thead><tr><th>field</th><th>bounds</th><th>default</th></tr></thead>
 * <tbody>
 * <tr><td>{@link #total}</td><td>the whole request: waiting for a pool slot, connecting, sending,
 *     the head, every redirect, and reading the body (until the response is read or released)</td>
 *     <td>5 minutes</td></tr>
 * <tr><td>{@link #connect}</td><td>getting a connection: waiting for a free slot in the pool plus
 *     {@code sockConnect}</td><td>none</td></tr>
 * <tr><td>{@link #sockConnect}</td><td>one new connection: the TCP connect and the TLS handshake
 *     (not the wait for a pool slot)</td><td>none</td></tr>
 * <tr><td>{@link #sockRead}</td><td>the silence between two reads from the server: the head after
 *     the request was sent, then every piece of the body</td><td>none</td></tr>
 * </tbody>
 * </table>
 *
 * <p>A request that runs inside a {@link io.asyncio4j.Asyncio#timeout} scope, a task group with a
 * deadline or a server handler with one is also bound by that deadline: the remaining budget
 * applies on top of these fields, and passing it raises that scope's own
 * {@link io.asyncio4j.TimeoutError}, not a {@link ClientTimeoutError}.
 *
 * @param total the whole request, or {@code null}
 * @param connect getting a connection (pool wait included), or {@code null}
 * @param sockConnect one TCP connect and TLS handshake, or {@code null}
 * @param sockRead the silence between reads, or {@code null}
 */
public record ClientTimeout(Duration total, Duration connect, Duration sockConnect, Duration sockRead) {

    /** Which timeout passed. */
    public enum Kind {
        /** {@link ClientTimeout#total}. */
        TOTAL("total"),
        /** {@link ClientTimeout#connect}. */
        CONNECT("connect"),
        /** {@link ClientTimeout#sockConnect}. */
        SOCK_CONNECT("sockConnect"),
        /** {@link ClientTimeout#sockRead}. */
        SOCK_READ("sockRead");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** {@return the record component's name} */
        public String fieldName() {
            return field;
        }
    }

    /** Checks that every duration given is positive. */
    public ClientTimeout {
        check(total, "total");
        check(connect, "connect");
        check(sockConnect, "sockConnect");
        check(sockRead, "sockRead");
    }

    private static void check(Duration d, String name) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(name + " must be positive (null for no limit): " + d);
        }
    }

    /** {@return aiohttp's defaults: a total of 5 minutes, the rest unlimited} */
    public static ClientTimeout defaults() {
        return new ClientTimeout(Duration.ofMinutes(5), null, null, null);
    }

    /** {@return no limit at all} */
    public static ClientTimeout none() {
        return new ClientTimeout(null, null, null, null);
    }

    /**
     * {@return these timeouts with another total}
     * @param d the whole request's limit, or {@code null}
     */
    public ClientTimeout withTotal(Duration d) {
        return new ClientTimeout(d, connect, sockConnect, sockRead);
    }

    /**
     * {@return these timeouts with another connect limit}
     * @param d the limit on getting a connection, or {@code null}
     */
    public ClientTimeout withConnect(Duration d) {
        return new ClientTimeout(total, d, sockConnect, sockRead);
    }

    /**
     * {@return these timeouts with another socket-connect limit}
     * @param d the limit on one TCP connect and TLS handshake, or {@code null}
     */
    public ClientTimeout withSockConnect(Duration d) {
        return new ClientTimeout(total, connect, d, sockRead);
    }

    /**
     * {@return these timeouts with another socket-read limit}
     * @param d the longest silence between reads, or {@code null}
     */
    public ClientTimeout withSockRead(Duration d) {
        return new ClientTimeout(total, connect, sockConnect, d);
    }
}
