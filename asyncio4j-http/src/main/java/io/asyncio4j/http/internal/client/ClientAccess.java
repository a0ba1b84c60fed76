package io.asyncio4j.http.internal.client;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.client.ClientResponse;
import io.asyncio4j.http.client.ClientSession;
import io.asyncio4j.http.client.RequestOptions;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * The client's seam for protocols that take a connection over after an HTTP/1.1 upgrade
 * (WebSocket's {@code ClientSession.wsConnect}): {@link #upgrade} opens a new connection from the
 * session's pool settings (TLS context and verification, Unix socket, timeouts, cookies, default
 * headers, auth), sends one request with the caller's fields and reads the response head.
 *
 * <ul>
 * <li>On {@code 101 Switching Protocols} the connection leaves the pool (its slot is freed; the
 *     pool will never touch it again) and the result holds the {@link Transport}, the bytes that
 *     arrived after the head ({@code leftover}: the start of the new protocol's stream) and the 101
 *     response (status, headers for {@code Sec-WebSocket-Accept} and the like). The caller
 *     must at once, before it suspends, {@code transport.setProtocol(its own)} and process
 *     {@code leftover}: until then, bytes are still buffered by the old protocol.</li>
 * <li>On any other status the result holds only the response, whose body reads as usual (close it).</li>
 * </ul>
 *
 * <p>Redirects are not followed, and the request has no body. Errors are the session's
 * ({@code ClientConnectorError}, {@code ClientSslError}, {@code ServerDisconnectedError},
 * {@code ClientTimeoutError} for {@code connect}/{@code sockConnect}/{@code sockRead}/{@code total}
 * up to the head). A URL may be ws:// or wss:// (treated as http:// and https://).
 */
public final class ClientAccess {
    private ClientAccess() {
    }

    /** What ClientSession provides to this seam. */
    public interface Hook {
        /**
         * Sends an upgrade request; see {@link ClientAccess#upgrade}.
         *
         * @param session the session
         * @param method the method (GET for WebSocket)
         * @param url the URL
         * @param headers the request's own fields ({@code Upgrade}, {@code Connection}, keys)
         * @param options timeouts, TLS verification, auth
         * @return the outcome
         * @throws IOException as a request's
         */
        Upgrade upgrade(ClientSession session, HttpMethod method, URI url, Headers headers, RequestOptions options)
                throws IOException;
    }

    /**
     * The outcome of an upgrade request.
     *
     * @param response the response head (101, or the refusal with its body)
     * @param transport the connection's transport after a 101, else {@code null}
     * @param leftover the bytes after the 101's head, else {@code null}
     */
    public record Upgrade(ClientResponse response, Transport transport, byte[] leftover) {
        /** {@return whether the server switched protocols} */
        public boolean upgraded() {
            return transport != null;
        }
    }

    private static volatile Hook hook;

    /**
     * Installed once by ClientSession's class initializer.
     *
     * @param h the hook
     */
    public static void install(Hook h) {
        hook = Objects.requireNonNull(h);
    }

    /**
     * Opens a connection, sends {@code method url} with the session's and the given fields, and
     * reads the response head. Suspends; checks for cancellation (a cancelled upgrade closes its
     * connection).
     *
     * @param session the session
     * @param method the method
     * @param url the URL (http, https, ws, wss)
     * @param headers the request's fields
     * @param options the request's options (timeouts, TLS verification, auth; body and redirects ignored)
     * @return the outcome
     * @throws IOException what a request throws
     */
    public static Upgrade upgrade(ClientSession session, HttpMethod method, URI url, Headers headers,
                                  RequestOptions options) throws IOException {
        Hook h = hook;
        if (h == null) {
            try {
                Class.forName(ClientSession.class.getName(), true, ClientSession.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            h = hook;
        }
        return h.upgrade(session, method, url, headers, options);
    }

    /**
     * Takes a connection out of its pool after a 101 (called by the session).
     *
     * @param pool the pool
     * @param c the connection
     * @param response the 101 response
     * @return the outcome
     */
    public static Upgrade detach(ConnectionPool pool, ClientConnection c, ClientResponse response) {
        pool.detach(c);
        return new Upgrade(response, c.transport(), c.takeInput());
    }
}
