package io.asyncio4j.http.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server treats connections: aiohttp's {@code AppRunner}/{@code run_app} keywords. Start
 * from {@link #defaults()}.
 *
 * @param keepAliveTimeout how long an idle keep-alive connection stays open (75 s, as aiohttp)
 * @param headerReadTimeout how long a client may take to send a request's head once it began
 *     (30 s): a client that trickles its headers (slowloris) gets 408 and is dropped
 * @param requestTimeout how long a handler may run before it is cancelled and the client gets
 *     503, or {@code null} for no limit (the default, as aiohttp)
 * @param shutdownTimeout how long a graceful shutdown waits for requests in flight before it
 *     cancels them (60 s, as aiohttp)
 * @param maxConnections the most connections served at once; a connection beyond them gets 503
 *     with {@code Retry-After} to its first request, then is closed (0 for no limit, the default)
 * @param maxRequestLine the longest request line (8 KiB; 414)
 * @param maxHeaderSize the largest header section (16 KiB; 431)
 * @param maxHeaders the most header fields (128; 431)
 * @param handlerCancellation whether a client that disconnects cancels its request's handler
 *     (true, as aiohttp's {@code handler_cancellation}): nobody reads the response, so work for
 *     it is wasted. A client that shuts down only its sending side counts as gone, as in aiohttp
 *     and Go (the server cannot tell the two apart). Turn it off for handlers that must finish
 *     what they started: their responses then go out over a half-closed connection, and their
 *     writes fail with an {@link java.io.IOException} once the connection is really gone
 * @param accessLog whether each request is logged on {@code io.asyncio4j.http.access} at INFO
 * @param accessLogFormat the access log's format, aiohttp's ({@code %a %t "%r" %s %b
 *     "%{Referer}i" "%{User-Agent}i"} by default; also {@code %T %Tf %D %P %{NAME}o})
 * @param backlog the listen backlog (128, as aiohttp)
 * @param serverHeader the {@code Server} field sent with each response, or {@code null} for none
 */
public record ServerSettings(Duration keepAliveTimeout, Duration headerReadTimeout, Duration requestTimeout,
                             Duration shutdownTimeout, int maxConnections, int maxRequestLine, int maxHeaderSize,
                             int maxHeaders, boolean handlerCancellation, boolean accessLog, String accessLogFormat,
                             int backlog, String serverHeader) {

    /** aiohttp's default access log format. */
    public static final String DEFAULT_ACCESS_LOG_FORMAT = "%a %t \"%r\" %s %b \"%{Referer}i\" \"%{User-Agent}i\"";

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a duration is negative or a limit is not positive
     */
    public ServerSettings {
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(accessLogFormat, "accessLogFormat");
        if (keepAliveTimeout.isNegative() || headerReadTimeout.isNegative() || shutdownTimeout.isNegative()
                || (requestTimeout != null && requestTimeout.isNegative())) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
        if (maxConnections < 0 || maxRequestLine <= 0 || maxHeaderSize <= 0 || maxHeaders <= 0 || backlog <= 0) {
            throw new IllegalArgumentException("limits must be positive (maxConnections 0 for none)");
        }
        if (serverHeader != null) {
            io.asyncio4j.http.Headers.checkValue("Server", serverHeader);
        }
    }

    /** {@return aiohttp's defaults, with a 30 s header-read timeout and the codec's limits} */
    public static ServerSettings defaults() {
        return new ServerSettings(Duration.ofSeconds(75), Duration.ofSeconds(30), null, Duration.ofSeconds(60), 0,
                8 * 1024, 16 * 1024, 128, true, true, DEFAULT_ACCESS_LOG_FORMAT, 128, "asyncio4j");
    }

    /**
     * {@return these settings with another keep-alive timeout}
     * @param d the timeout
     */
    public ServerSettings withKeepAliveTimeout(Duration d) {
        return new ServerSettings(d, headerReadTimeout, requestTimeout, shutdownTimeout, maxConnections,
                maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, accessLog, accessLogFormat, backlog,
                serverHeader);
    }

    /**
     * {@return these settings with another header-read timeout}
     * @param d the timeout
     */
    public ServerSettings withHeaderReadTimeout(Duration d) {
        return new ServerSettings(keepAliveTimeout, d, requestTimeout, shutdownTimeout, maxConnections,
                maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, accessLog, accessLogFormat, backlog,
                serverHeader);
    }

    /**
     * {@return these settings with a per-request timeout}
     * @param d the timeout, or {@code null} for none
     */
    public ServerSettings withRequestTimeout(Duration d) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, d, shutdownTimeout, maxConnections,
                maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, accessLog, accessLogFormat, backlog,
                serverHeader);
    }

    /**
     * {@return these settings with another shutdown timeout}
     * @param d the timeout
     */
    public ServerSettings withShutdownTimeout(Duration d) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, requestTimeout, d, maxConnections,
                maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, accessLog, accessLogFormat, backlog,
                serverHeader);
    }

    /**
     * {@return these settings with a connection limit}
     * @param n the limit, 0 for none
     */
    public ServerSettings withMaxConnections(int n) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, requestTimeout, shutdownTimeout, n,
                maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, accessLog, accessLogFormat, backlog,
                serverHeader);
    }

    /**
     * {@return these settings with other limits on the request head}
     * @param requestLine the longest request line
     * @param headerSize the largest header section
     * @param headers the most header fields
     */
    public ServerSettings withHeadLimits(int requestLine, int headerSize, int headers) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, requestTimeout, shutdownTimeout,
                maxConnections, requestLine, headerSize, headers, handlerCancellation, accessLog, accessLogFormat,
                backlog, serverHeader);
    }

    /**
     * {@return these settings with handler cancellation on or off}
     * @param on whether a disconnect cancels
     */
    public ServerSettings withHandlerCancellation(boolean on) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, requestTimeout, shutdownTimeout,
                maxConnections, maxRequestLine, maxHeaderSize, maxHeaders, on, accessLog, accessLogFormat, backlog,
                serverHeader);
    }

    /**
     * {@return these settings with the access log on or off}
     * @param on whether to log requests
     */
    public ServerSettings withAccessLog(boolean on) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, requestTimeout, shutdownTimeout,
                maxConnections, maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, on, accessLogFormat,
                backlog, serverHeader);
    }

    /**
     * {@return these settings with another access log format}
     * @param format the format
     */
    public ServerSettings withAccessLogFormat(String format) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, requestTimeout, shutdownTimeout,
                maxConnections, maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, accessLog, format,
                backlog, serverHeader);
    }

    /**
     * {@return these settings with another listen backlog}
     * @param n the backlog
     */
    public ServerSettings withBacklog(int n) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, requestTimeout, shutdownTimeout,
                maxConnections, maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, accessLog,
                accessLogFormat, n, serverHeader);
    }

    /**
     * {@return these settings with another Server field}
     * @param value the value, or {@code null} for none
     */
    public ServerSettings withServerHeader(String value) {
        return new ServerSettings(keepAliveTimeout, headerReadTimeout, requestTimeout, shutdownTimeout,
                maxConnections, maxRequestLine, maxHeaderSize, maxHeaders, handlerCancellation, accessLog,
                accessLogFormat, backlog, value);
    }
}
