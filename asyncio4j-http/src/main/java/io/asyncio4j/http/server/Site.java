package io.asyncio4j.http.server;

import io.asyncio4j.transport.Server;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;

/**
 * A listener of an {@link AppRunner}: aiohttp's {@code TCPSite}, {@code UnixSite} (and a TCP
 * site with TLS). Made by {@link AppRunner#addTcpSite}, {@link AppRunner#addTlsSite},
 * {@link AppRunner#addUnixSite}.
 */
public final class Site {
    private final Server server;
    private final boolean tls;

    Site(Server server, boolean tls) {
        this.server = server;
        this.tls = tls;
    }

    /** {@return the addresses it listens on} */
    public List<SocketAddress> addresses() {
        return server.sockets();
    }

    /**
     * {@return the TCP port}
     * @throws IllegalStateException for a Unix socket site
     */
    public int port() {
        return server.port();
    }

    /** {@return whether its connections are TLS} */
    public boolean isTls() {
        return tls;
    }

    /** {@return a URL of the site, as aiohttp's {@code site.name}: {@code http://127.0.0.1:8080}} */
    public String url() {
        SocketAddress a = server.sockets().get(0);
        if (a instanceof InetSocketAddress isa) {
            String host = isa.getAddress() != null && isa.getAddress().isAnyLocalAddress() ? "0.0.0.0"
                    : isa.getAddress() instanceof java.net.Inet6Address ? "[" + isa.getHostString() + "]"
                    : isa.getHostString();
            return (tls ? "https" : "http") + "://" + host + ":" + isa.getPort();
        }
        return "http://unix:" + ((UnixDomainSocketAddress) a).getPath() + ":";
    }

    /** Stops listening; connections accepted stay. Never suspends. */
    public void stop() {
        server.stopListening();
    }

    Server server() {
        return server;
    }

    @Override
    public String toString() {
        return "<Site " + url() + ">";
    }
}
