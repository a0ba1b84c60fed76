package io.asyncio4j.transport;

import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * A typed key of {@link Transport#getExtraInfo(ExtraInfo)}: asyncio's {@code get_extra_info}
 * names, each with the type of its value, so that no cast is needed.
 *
 * {@snippet :
 * SocketAddress peer = writer.getExtraInfo(ExtraInfo.PEERNAME);
 * SSLSession session = writer.getExtraInfo(ExtraInfo.SSL_OBJECT);   // null without TLS
 * }
 *
 * <p>A key a transport does not know gives {@code null}, as asyncio's default does.
 *
 * @param <T> the type of the value
 */
public final class ExtraInfo<T> {
    /** The remote address ({@code "peername"}); kept after the connection closed. */
    public static final ExtraInfo<SocketAddress> PEERNAME = new ExtraInfo<>("peername");
    /** The local address ({@code "sockname"}); kept after the connection closed. */
    public static final ExtraInfo<SocketAddress> SOCKNAME = new ExtraInfo<>("sockname");
    /** The socket's channel ({@code "socket"}): a {@code SocketChannel} or {@code DatagramChannel}. */
    public static final ExtraInfo<NetworkChannel> SOCKET = new ExtraInfo<>("socket");
    /** The TLS session of a TLS connection ({@code "ssl_object"}), or {@code null}. */
    public static final ExtraInfo<SSLSession> SSL_OBJECT = new ExtraInfo<>("ssl_object");
    /** The {@link SSLEngine} of a TLS connection, for what the session does not tell. */
    public static final ExtraInfo<SSLEngine> SSL_ENGINE = new ExtraInfo<>("sslengine");
    /** The negotiated cipher suite of a TLS connection ({@code "cipher"}). */
    public static final ExtraInfo<String> CIPHER = new ExtraInfo<>("cipher");
    /**
     * The peer's certificate chain, peer first ({@code "peercert"}); {@code null} when the peer
     * sent none (a TLS client without a certificate).
     */
    public static final ExtraInfo<List<Certificate>> PEERCERT = new ExtraInfo<>("peercert");
    /** The protocol ALPN selected ({@code "alpn_protocol"}), or {@code null} when none was. */
    public static final ExtraInfo<String> ALPN_PROTOCOL = new ExtraInfo<>("alpn_protocol");

    private final String name;

    private ExtraInfo(String name) {
        this.name = name;
    }

    /** {@return asyncio's name of this information} */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ExtraInfo(" + name + ")";
    }
}
