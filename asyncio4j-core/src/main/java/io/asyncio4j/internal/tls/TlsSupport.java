package io.asyncio4j.internal.tls;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.tls.SslTransport;
import io.asyncio4j.internal.net.TcpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import io.asyncio4j.transport.ConnectOptions;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.internal.ops.Await;

/** Puts TLS under connections: engines with the right parameters, handshakes awaited. */
public final class TlsSupport {
    private TlsSupport() {
    }

    /**
     * Makes a client engine: host name verification ("HTTPS" identification, which also accepts an
     * address literal matching an IP address in the certificate) and SNI for the server's name
     * unless it is an address literal (RFC 6066 forbids those), ALPN when asked.
     *
     * @throws IllegalArgumentException if there is no name to verify the certificate against (a
     *     Unix socket or STARTTLS without one), as asyncio's "server_hostname is required"
     */
    public static SSLEngine clientEngine(SSLContext context, String serverHostname, List<String> alpn, int port) {
        if (serverHostname == null || serverHostname.isEmpty()) {
            // Without a name the JDK's check fails the handshake after connecting ("Hostname or IP
            // address is undefined"); say what is missing, before the connection, at the call.
            throw new IllegalArgumentException("a server host name is required for TLS here (the name the server's "
                    + "certificate is checked against): set ConnectOptions.withServerHostname(...) or pass one to "
                    + "startTls");
        }
        SSLEngine engine = context.createSSLEngine(serverHostname, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isLiteral(serverHostname)) {
            p.setServerNames(List.of(new SNIHostName(serverHostname)));
        }
        if (!alpn.isEmpty()) {
            p.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        engine.setSSLParameters(p);
        return engine;
    }

    private static boolean isLiteral(String host) {
        try {
            InetAddress.ofLiteral(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
                    : host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Connects TLS over a connected channel and waits for the handshake. */
    public static Transport clientSide(EventLoopImpl loop, SocketChannel ch, Protocol app, ConnectOptions options,
                                String serverHostname) throws IOException {
        int port = ch.getRemoteAddress() instanceof java.net.InetSocketAddress isa ? isa.getPort() : -1;
        SSLEngine engine = clientEngine(options.ssl(), serverHostname, options.alpnProtocols(), port);
        SslTransport tls = new SslTransport(loop, engine, app);
        TcpTransport.start(loop, ch, tls, null);
        awaitHandshake(tls, options.sslHandshakeTimeout());
        return tls;
    }

    /**
     * Waits for a TLS handshake; closes the connection if it fails, is cancelled or takes longer
     * than the timeout ({@link javax.net.ssl.SSLHandshakeException} then, as asyncio's
     * ConnectionAbortedError).
     */
    public static void awaitHandshake(SslTransport tls, Duration timeout) throws IOException {
        if (!tls.handshakeFuture().isDone()) {
            // the same timer as a server's: a slow handshake fails with asyncio's message and an alert
            tls.abortIfNotDoneWithin(timeout);
        }
        boolean ok = false;
        try {
            Await.await(tls.handshakeFuture());
            ok = true;
        } finally {
            if (!ok) {
                tls.abort();
            }
        }
    }

    /**
     * Wraps a server's protocol factory so that each connection runs TLS first, when asked, on the
     * loop that accepted it.
     */
    public static Supplier<? extends Protocol> serverFactory(Supplier<? extends Protocol> appFactory, ServerOptions options) {
        SSLContext context = options.ssl();
        if (context == null) {
            return appFactory;
        }
        List<String> alpn = options.alpnProtocols();
        Duration timeout = options.sslHandshakeTimeout();
        return () -> {
            EventLoopImpl loop = EventLoopImpl.running(); // the accepting loop: one of a group's, say
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            if (!alpn.isEmpty()) {
                SSLParameters p = engine.getSSLParameters();
                p.setApplicationProtocols(alpn.toArray(String[]::new));
                engine.setSSLParameters(p);
            }
            SslTransport tls = new SslTransport(loop, engine, appFactory.get());
            tls.abortIfNotDoneWithin(timeout);
            return tls;
        };
    }
}
