package io.asyncio4j.http.internal.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.client.ClientConnectorDnsError;
import io.asyncio4j.http.client.ClientHttpProxyError;
import io.asyncio4j.http.client.ClientProxyConnectionError;
import io.asyncio4j.http.client.ClientTimeout;
import io.asyncio4j.http.client.ClientTimeoutError;
import io.asyncio4j.http.internal.h1.ByteSink;
import io.asyncio4j.http.internal.h1.H1Encoder;
import io.asyncio4j.http.internal.h1.H1Limits;
import io.asyncio4j.http.internal.h1.H1Parser;
import io.asyncio4j.http.internal.h1.MessageHead;
import io.asyncio4j.stream.IncompleteReadError;
import io.asyncio4j.stream.LimitOverrunError;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.ConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The {@code CONNECT} exchange that opens a tunnel through an HTTP proxy (RFC 9110 section 9.3.6):
 * {@code CONNECT host:port HTTP/1.1} with {@code Host}, the proxy's credentials and its extra
 * fields; a 2xx answer turns the connection into a tunnel to the origin, anything else is a
 * {@link ClientHttpProxyError} at once (the answer's body is not waited for: the connection is
 * closed). Over a pooled connection for https requests, over streams for WebSockets.
 */
public final class Tunnel {
    private static final H1Limits LIMITS = new H1Limits(8 * 1024, 64 * 1024, 256, 4 * 1024, Long.MAX_VALUE);

    private Tunnel() {
    }

    /** {@return {@code host:port} as a request target and Host field (an IPv6 literal in brackets)} */
    static String authority(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@return the CONNECT request's bytes} */
    static byte[] request(ProxyRoute proxy, String host, int port) {
        String target = authority(host, port);
        ByteSink out = new ByteSink(256);
        H1Encoder.requestLine(out, HttpMethod.CONNECT, target);
        H1Encoder.field(out, "Host", target);
        if (proxy.authorization() != null) {
            H1Encoder.field(out, "Proxy-Authorization", proxy.authorization());
        }
        H1Encoder.fields(out, proxy.headers());
        H1Encoder.endHead(out);
        return out.toByteArray();
    }

    /**
     * Opens the tunnel of a pool key over a connection to its proxy. Suspends until the proxy
     * answers; checks for cancellation.
     *
     * @param c the connection to the proxy, plain
     * @param key the key: its host and port are the tunnel's end, its proxy the route
     * @param url the request's URL, for errors
     * @param deadlineNs when to give up waiting for the answer (sockConnect), or {@link Long#MAX_VALUE}
     * @throws ClientHttpProxyError if the proxy answers with a status other than 2xx
     * @throws ClientProxyConnectionError if the proxy closes the connection or does not speak HTTP
     * @throws ClientTimeoutError if the deadline passes
     */
    static void open(ClientConnection c, PoolKey key, URI url, long deadlineNs) throws IOException {
        ProxyRoute p = key.proxy();
        String target = authority(key.host(), key.port());
        c.write(ByteBuffer.wrap(request(p, key.host(), key.port())));
        H1Parser parser = H1Parser.forResponses(LIMITS);
        parser.expectNoBody(); // a 2xx to CONNECT has none; any other answer is not read further
        MessageHead head;
        while (true) {
            H1Parser.Event e;
            try {
                e = parser.next(c.input());
            } catch (HttpParseException x) {
                throw new ClientProxyConnectionError(url, p.url(), "the proxy " + p.url() + " answered CONNECT "
                        + target + " with something that is not HTTP: " + x.getMessage(), x);
            }
            if (e == H1Parser.Event.HEAD) {
                head = parser.head();
                if (head.status() >= 100 && head.status() < 200) {
                    parser.expectNoBody();
                    continue; // an interim answer
                }
                break;
            }
            if (e != H1Parser.Event.NEED_DATA) {
                throw new ClientProxyConnectionError(url, p.url(), "the proxy " + p.url() + " answered CONNECT "
                        + target + " with " + e + " before its status line", null);
            }
            if (c.atEof()) {
                throw new ClientProxyConnectionError(url, p.url(), "the proxy " + p.url()
                        + " closed the connection instead of answering CONNECT " + target, c.lostError());
            }
            if (!c.awaitInput(deadlineNs)) {
                throw new ClientTimeoutError(url, ClientTimeout.Kind.SOCK_CONNECT, "waiting for the proxy "
                        + p.url() + " to answer CONNECT " + target);
            }
        }
        check(head, url, p, target);
        if (c.hasUnreadInput()) {
            throw new ClientProxyConnectionError(url, p.url(), "the proxy " + p.url()
                    + " sent bytes the origin could not have sent yet, after its answer to CONNECT " + target, null);
        }
    }

    private static void check(MessageHead head, URI url, ProxyRoute p, String target) throws ClientHttpProxyError {
        if (head.status() / 100 != 2) {
            throw new ClientHttpProxyError(url, p.url(), head.status(), head.reason(), head.headers(), target);
        }
    }

    /**
     * Opens a stream connection through a proxy's tunnel to a host (ClientSession.wsConnect), with
     * TLS to the host when the options have it (its certificate checked against the options'
     * {@code serverHostname}). Suspends; checks for cancellation.
     *
     * @param proxy the route
     * @param host the tunnel's end
     * @param port its port
     * @param options the options the direct connection would have had (TLS, server host name)
     * @param url the request's URL, for errors
     * @return the connection, through the tunnel
     * @throws IOException as {@link #open}, or the TLS handshake's error
     */
    public static Streams.Connection overStreams(ProxyRoute proxy, String host, int port, ConnectOptions options,
                                                 URI url) throws IOException {
        Streams.Connection c;
        try {
            c = Streams.openConnection(proxy.host(), proxy.port(), ConnectOptions.defaults()
                    .withConnectTimeout(options.connectTimeout()));
        } catch (UnknownHostException e) {
            throw new ClientConnectorDnsError(url, proxy.host(), proxy.port(), e);
        } catch (IOException e) {
            throw new ClientProxyConnectionError(url, proxy.url(), "cannot connect to the proxy " + proxy.url() + ": "
                    + e.getMessage(), e);
        }
        String target = authority(host, port);
        boolean ok = false;
        try {
            c.writer().write(request(proxy, host, port));
            c.writer().drain();
            MessageHead head;
            do {
                byte[] bytes;
                try {
                    bytes = c.reader().readUntil("\r\n\r\n".getBytes(ISO_8859_1));
                } catch (IncompleteReadError e) {
                    throw new ClientProxyConnectionError(url, proxy.url(), "the proxy " + proxy.url()
                            + " closed the connection instead of answering CONNECT " + target, e);
                } catch (LimitOverrunError e) {
                    throw new ClientProxyConnectionError(url, proxy.url(), "the proxy " + proxy.url()
                            + " answered CONNECT " + target + " with a head too long", e);
                }
                H1Parser parser = H1Parser.forResponses(LIMITS);
                parser.expectNoBody();
                try {
                    if (parser.next(ByteBuffer.wrap(bytes)) != H1Parser.Event.HEAD) {
                        throw new HttpParseException(400, "an incomplete head");
                    }
                } catch (HttpParseException e) {
                    throw new ClientProxyConnectionError(url, proxy.url(), "the proxy " + proxy.url()
                            + " answered CONNECT " + target + " with something that is not HTTP: " + e.getMessage(), e);
                }
                head = parser.head();
            } while (head.status() >= 100 && head.status() < 200);
            check(head, url, proxy, target);
            if (options.ssl() != null) {
                c.writer().startTls(options.ssl(), options.serverHostname() != null ? options.serverHostname() : host);
            }
            ok = true;
            return c;
        } finally {
            if (!ok) {
                c.writer().transport().abort();
            }
        }
    }
}
