package io.asyncio4j.transport;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.Streams;

/**
 * Options of {@link Streams#startServer} and {@link Transports#createServer}; start from
 * {@link #defaults()}.
 *
 * @param ssl the TLS context, or {@code null} for plain connections
 * @param alpnProtocols the application protocols accepted over TLS, or empty
 * @param limit the stream reader's buffer limit (default 64 KiB)
 * @param backlog the listen backlog
 * @param reuseAddress whether to set SO_REUSEADDR (default true, as asyncio on Unix)
 * @param reusePort whether to set SO_REUSEPORT
 * @param sslHandshakeTimeout how long a TLS handshake may take (default 60 seconds, as asyncio)
 * @param startServing whether the server accepts connections at once (default true); when false,
 *     it accepts from {@link Server#startServing()} or {@link Server#serveForever()} on
 * @param loopGroup the loop group the server runs on, every loop of it, or {@code null} for the
 *     calling task's loop alone; see {@link #withLoopGroup(LoopGroup)}
 * @param distribution how a server on a loop group spreads connections (default
 *     {@link Distribution#AUTO})
 */
public record ServerOptions(SSLContext ssl, List<String> alpnProtocols, int limit, int backlog, boolean reuseAddress,
                            boolean reusePort, Duration sslHandshakeTimeout, boolean startServing, LoopGroup loopGroup,
                            Distribution distribution) {

    /**
     * How a server on a {@link LoopGroup} spreads its connections over the group's loops. Either
     * way a connection lives on the loop that took it, for its whole life.
     */
    public enum Distribution {
        /** {@link #REUSE_PORT} where the system spreads connections (Linux), else {@link #ROUND_ROBIN}. */
        AUTO,
        /**
         * Every loop listens itself, on the same port with {@code SO_REUSEPORT}, and the kernel
         * spreads incoming connections over the listeners (by a hash of the connection's
         * addresses). Linux only; TCP only.
         */
        REUSE_PORT,
        /**
         * The group's first loop listens and accepts; it hands each accepted connection to the
         * next loop in turn (itself included), as {@code connect_accepted_socket} does.
         */
        ROUND_ROBIN;

        /** {@return whether this system spreads connections over {@code SO_REUSEPORT} listeners} */
        public static boolean reusePortSpreads() {
            // BSD and macOS have SO_REUSEPORT but give every connection to one of the sockets
            return System.getProperty("os.name", "").startsWith("Linux");
        }
    }

    /** Checks the values and copies the protocol list. */
    public ServerOptions {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        alpnProtocols = alpnProtocols == null ? List.of() : List.copyOf(alpnProtocols);
        if (sslHandshakeTimeout == null) {
            sslHandshakeTimeout = Duration.ofSeconds(60);
        }
        if (distribution == null) {
            distribution = Distribution.AUTO;
        }
    }

    /**
     * Creates options for the calling task's loop alone (no loop group): the constructor of
     * 0.2.0, kept so that code written against it compiles.
     *
     * @param ssl see the record's description
     * @param alpnProtocols see the record's description
     * @param limit see the record's description
     * @param backlog see the record's description
     * @param reuseAddress see the record's description
     * @param reusePort see the record's description
     * @param sslHandshakeTimeout see the record's description
     * @param startServing see the record's description
     */
    public ServerOptions(SSLContext ssl, List<String> alpnProtocols, int limit, int backlog, boolean reuseAddress,
                         boolean reusePort, Duration sslHandshakeTimeout, boolean startServing) {
        this(ssl, alpnProtocols, limit, backlog, reuseAddress, reusePort, sslHandshakeTimeout, startServing, null,
                Distribution.AUTO);
    }

    /** {@return the defaults: plain, 64 KiB limit, backlog 100, SO_REUSEADDR, serving at once} */
    public static ServerOptions defaults() {
        return new ServerOptions(null, List.of(), StreamReader.DEFAULT_LIMIT, 100, true, false, Duration.ofSeconds(60),
                true, null, Distribution.AUTO);
    }

    /**
     * {@return these options with TLS}
     * @param context the TLS context (with the server's key and certificate)
     */
    public ServerOptions withSsl(SSLContext context) {
        return new ServerOptions(context, alpnProtocols, limit, backlog, reuseAddress, reusePort,
                sslHandshakeTimeout, startServing, loopGroup, distribution);
    }

    /**
     * {@return these options accepting application protocols over TLS}
     * @param protocols the protocols, in order of preference
     */
    public ServerOptions withAlpnProtocols(List<String> protocols) {
        return new ServerOptions(ssl, protocols, limit, backlog, reuseAddress, reusePort, sslHandshakeTimeout,
                startServing, loopGroup, distribution);
    }

    /**
     * {@return these options with another reader limit}
     * @param bytes the limit
     */
    public ServerOptions withLimit(int bytes) {
        return new ServerOptions(ssl, alpnProtocols, bytes, backlog, reuseAddress, reusePort, sslHandshakeTimeout,
                startServing, loopGroup, distribution);
    }

    /**
     * {@return these options with another backlog}
     * @param connections the backlog
     */
    public ServerOptions withBacklog(int connections) {
        return new ServerOptions(ssl, alpnProtocols, limit, connections, reuseAddress, reusePort,
                sslHandshakeTimeout, startServing, loopGroup, distribution);
    }

    /**
     * {@return these options with SO_REUSEADDR on or off}
     * @param on whether to set it
     */
    public ServerOptions withReuseAddress(boolean on) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, on, reusePort, sslHandshakeTimeout, startServing,
                loopGroup, distribution);
    }

    /**
     * {@return these options with SO_REUSEPORT on or off}
     * @param on whether to set it
     */
    public ServerOptions withReusePort(boolean on) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, reuseAddress, on, sslHandshakeTimeout,
                startServing, loopGroup, distribution);
    }

    /**
     * {@return these options with another limit on each connection's TLS handshake}
     * @param timeout how long a handshake may take before the connection is dropped
     */
    public ServerOptions withSslHandshakeTimeout(Duration timeout) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, reuseAddress, reusePort, timeout, startServing,
                loopGroup, distribution);
    }

    /**
     * {@return these options with the server accepting at once or only once asked}
     * @param atOnce whether {@code startServer} starts accepting; when false, the socket is
     *     bound and listening (the kernel queues up to the backlog's connections) and they are
     *     accepted from {@link Server#startServing()} or {@link Server#serveForever()} on
     */
    public ServerOptions withStartServing(boolean atOnce) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, reuseAddress, reusePort, sslHandshakeTimeout,
                atOnce, loopGroup, distribution);
    }

    /**
     * {@return these options with the server running on every loop of a group} Each loop serves
     * connections of its own: with {@link Distribution#REUSE_PORT} each loop listens on the same
     * port and the kernel spreads connections; with {@link Distribution#ROUND_ROBIN} the group's
     * first loop accepts and hands the connections to the loops in turn. A connection stays on
     * its loop for its whole life, and its protocol (or stream handler) runs there, so state a
     * connection keeps needs no lock; state shared by connections of different loops does (or
     * keep it per loop, with {@link io.asyncio4j.LoopLocal}).
     *
     * <p>Such a server may be started from a task of any loop or from a thread that runs no loop.
     * The protocol factory (or stream handler) is called on every loop of the group, so it must
     * be safe to call from several threads. The returned {@link Server} stands for the loops'
     * servers together; see {@link LoopGroup} for its methods' behaviour.
     *
     * @param group the group, or {@code null} for the calling task's loop alone
     */
    public ServerOptions withLoopGroup(LoopGroup group) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, reuseAddress, reusePort, sslHandshakeTimeout,
                startServing, group, distribution);
    }

    /**
     * {@return these options with a way of spreading a loop group server's connections}
     * @param how {@link Distribution#AUTO} (the default), {@link Distribution#REUSE_PORT} (Linux)
     *     or {@link Distribution#ROUND_ROBIN}
     */
    public ServerOptions withDistribution(Distribution how) {
        return new ServerOptions(ssl, alpnProtocols, limit, backlog, reuseAddress, reusePort, sslHandshakeTimeout,
                startServing, loopGroup, how);
    }
}
