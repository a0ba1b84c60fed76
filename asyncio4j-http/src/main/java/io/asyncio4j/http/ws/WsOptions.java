package io.asyncio4j.http.ws;

import io.asyncio4j.http.Headers;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The settings of a WebSocket, on either side: aiohttp's {@code WebSocketResponse(...)} and
 * {@code ws_connect(...)} arguments. Immutable; each {@code with} method returns a copy.
 *
 * {@snippet :
 * WsOptions o = WsOptions.defaults()
 *         .withHeartbeat(Duration.ofSeconds(30))
 *         .withProtocols(List.of("chat.v1"));
 * }
 */
public final class WsOptions {
    private static final WsOptions DEFAULTS = new WsOptions(4 * 1024 * 1024, null, Duration.ofSeconds(10), List.of(),
            true, false, null, new Headers().freeze(), null, null, 256, 6, false);

    private final int maxMessageSize;
    private final Duration heartbeat;
    private final Duration closeTimeout;
    private final List<String> protocols;
    private final boolean compress;
    private final boolean deliverPings;
    private final Set<String> allowedOrigins;
    private final Headers headers;
    private final String origin;
    private final SSLContext ssl;
    private final int maxQueue;
    private final int compressionLevel;
    private final boolean noContextTakeover;

    private WsOptions(int maxMessageSize, Duration heartbeat, Duration closeTimeout, List<String> protocols,
                      boolean compress, boolean deliverPings, Set<String> allowedOrigins, Headers headers, String origin,
                      SSLContext ssl, int maxQueue, int compressionLevel, boolean noContextTakeover) {
        this.maxMessageSize = maxMessageSize;
        this.heartbeat = heartbeat;
        this.closeTimeout = closeTimeout;
        this.protocols = protocols;
        this.compress = compress;
        this.deliverPings = deliverPings;
        this.allowedOrigins = allowedOrigins;
        this.headers = headers;
        this.origin = origin;
        this.ssl = ssl;
        this.maxQueue = maxQueue;
        this.compressionLevel = compressionLevel;
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * {@return the defaults: messages up to 4 MiB, no heartbeat, a 10 s close timeout, no
     * subprotocols, permessage-deflate on, pings answered and not delivered, any origin, 256
     * queued messages before reading pauses}
     */
    public static WsOptions defaults() {
        return DEFAULTS;
    }

    private WsOptions copy(int maxMessageSize, Duration heartbeat, Duration closeTimeout, List<String> protocols,
                           boolean compress, boolean deliverPings, Set<String> allowedOrigins, Headers headers,
                           String origin, SSLContext ssl, int maxQueue, int compressionLevel, boolean noContextTakeover) {
        return new WsOptions(maxMessageSize, heartbeat, closeTimeout, protocols, compress, deliverPings, allowedOrigins,
                headers, origin, ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy with a largest message size (after decompression); a larger one fails the connection with 1009}
     * @param bytes the size, 0 for no limit
     */
    public WsOptions withMaxMessageSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a negative message size limit: " + bytes);
        }
        return copy(bytes, heartbeat, closeTimeout, protocols, compress, deliverPings, allowedOrigins, headers, origin,
                ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy with a heartbeat: a ping every interval, and the connection closed (1006)
     * when no pong (or other frame) comes back within half of it; aiohttp's {@code heartbeat}}
     * @param interval the interval, or {@code null} for none
     */
    public WsOptions withHeartbeat(Duration interval) {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("a heartbeat interval must be positive: " + interval);
        }
        return copy(maxMessageSize, interval, closeTimeout, protocols, compress, deliverPings, allowedOrigins, headers,
                origin, ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy with a close timeout: how long {@code close} waits for the peer's close
     * frame before dropping the connection}
     * @param timeout the timeout
     */
    public WsOptions withCloseTimeout(Duration timeout) {
        return copy(maxMessageSize, heartbeat, Objects.requireNonNull(timeout), protocols, compress, deliverPings,
                allowedOrigins, headers, origin, ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy with subprotocols: a server picks the first of its own that the client
     * offers; a client offers them in order}
     * @param protocols the subprotocols
     */
    public WsOptions withProtocols(List<String> protocols) {
        return copy(maxMessageSize, heartbeat, closeTimeout, List.copyOf(protocols), compress, deliverPings,
                allowedOrigins, headers, origin, ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy with permessage-deflate (RFC 7692) on or off}
     * @param on whether to negotiate it
     */
    public WsOptions withCompression(boolean on) {
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, on, deliverPings, allowedOrigins, headers,
                origin, ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy that resets this side's compressor after every message (less memory kept
     * between messages, worse compression): {@code server_no_context_takeover} on a server,
     * {@code client_no_context_takeover} on a client}
     * @param on whether to
     */
    public WsOptions withNoContextTakeover(boolean on) {
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, compress, deliverPings, allowedOrigins, headers,
                origin, ssl, maxQueue, compressionLevel, on);
    }

    /**
     * {@return a copy with a compression level}
     * @param level 0 (none) to 9 (best)
     */
    public WsOptions withCompressionLevel(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("a deflate level is 0 to 9, not " + level);
        }
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, compress, deliverPings, allowedOrigins, headers,
                origin, ssl, maxQueue, level, noContextTakeover);
    }

    /**
     * {@return a copy that delivers pings and pongs as messages (they are answered either way)}
     * @param on whether to
     */
    public WsOptions withDeliverPings(boolean on) {
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, compress, on, allowedOrigins, headers, origin,
                ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy whose server side accepts only these {@code Origin} values (exactly, as
     * {@code scheme://host[:port]}), refusing others with 403; a request with no {@code Origin}
     * (not a browser) is accepted}
     * @param origins the allowed origins, or {@code null} for any
     */
    public WsOptions withAllowedOrigins(Set<String> origins) {
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, compress, deliverPings,
                origins == null ? null : Set.copyOf(origins), headers, origin, ssl, maxQueue, compressionLevel,
                noContextTakeover);
    }

    /**
     * {@return a copy with extra fields: the client's request's, or the server's 101's}
     * @param extra the fields
     */
    public WsOptions withHeaders(Headers extra) {
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, compress, deliverPings, allowedOrigins,
                extra.copy().freeze(), origin, ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy whose client sends this {@code Origin}}
     * @param origin the origin, or {@code null} for none
     */
    public WsOptions withOrigin(String origin) {
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, compress, deliverPings, allowedOrigins, headers,
                origin, ssl, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy whose client uses this TLS context for {@code wss://} (the JDK's default otherwise)}
     * @param context the context
     */
    public WsOptions withSsl(SSLContext context) {
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, compress, deliverPings, allowedOrigins, headers,
                origin, context, maxQueue, compressionLevel, noContextTakeover);
    }

    /**
     * {@return a copy with how many received messages may wait unread before the socket stops
     * being read (backpressure on the sender)}
     * @param messages the count, at least 1
     */
    public WsOptions withMaxQueue(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("the queue holds at least one message, not " + messages);
        }
        return copy(maxMessageSize, heartbeat, closeTimeout, protocols, compress, deliverPings, allowedOrigins, headers,
                origin, ssl, messages, compressionLevel, noContextTakeover);
    }

    /** {@return the largest message size, 0 for none} */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** {@return the heartbeat interval, or {@code null}} */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** {@return the close timeout} */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** {@return the subprotocols} */
    public List<String> protocols() {
        return protocols;
    }

    /** {@return whether permessage-deflate is negotiated} */
    public boolean compress() {
        return compress;
    }

    /** {@return whether this side resets its compressor after each message} */
    public boolean noContextTakeover() {
        return noContextTakeover;
    }

    /** {@return the compression level} */
    public int compressionLevel() {
        return compressionLevel;
    }

    /** {@return whether pings and pongs are delivered} */
    public boolean deliverPings() {
        return deliverPings;
    }

    /** {@return the allowed origins, or {@code null} for any} */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** {@return the extra fields} */
    public Headers headers() {
        return headers;
    }

    /** {@return the client's {@code Origin}, or {@code null}} */
    public String origin() {
        return origin;
    }

    /** {@return the client's TLS context, or {@code null} for the JDK's default} */
    public SSLContext ssl() {
        return ssl;
    }

    /** {@return how many messages may wait unread} */
    public int maxQueue() {
        return maxQueue;
    }
}
