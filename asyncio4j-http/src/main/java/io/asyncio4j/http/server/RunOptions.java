package io.asyncio4j.http.server;

import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where and how {@link Web#runApp} serves: aiohttp's {@code run_app} keywords. Start from
 * {@link #tcp(String, int)} or {@link #unix(Path)}.
 *
 * @param host the TCP host ({@code null} with a Unix path only)
 * @param port the TCP port
 * @param unixPath a Unix socket path, or {@code null}
 * @param ssl a TLS context for the TCP listener, or {@code null}
 * @param settings the connection settings
 * @param printBanner whether to print {@code ======== Running on URL ========} once listening
 * @param loopGroup a loop group whose every loop serves the application (see
 *     {@link AppRunner#AppRunner(Application, ServerSettings, io.asyncio4j.LoopGroup)}), or
 *     {@code null} for the loop that runs it alone
 */
public record RunOptions(String host, int port, Path unixPath, SSLContext ssl, ServerSettings settings,
                         boolean printBanner, io.asyncio4j.LoopGroup loopGroup) {
    /** Checks that there is somewhere to listen. */
    public RunOptions {
        Objects.requireNonNull(settings, "settings");
        if (host == null && unixPath == null) {
            throw new IllegalArgumentException("nowhere to listen: give a host or a Unix socket path");
        }
    }

    /**
     * Creates options served by the loop that runs them alone (no loop group): the constructor
     * of 0.2.0, kept so that code written against it compiles.
     *
     * @param host see the record's description
     * @param port see the record's description
     * @param unixPath see the record's description
     * @param ssl see the record's description
     * @param settings see the record's description
     * @param printBanner see the record's description
     */
    public RunOptions(String host, int port, Path unixPath, SSLContext ssl, ServerSettings settings,
                      boolean printBanner) {
        this(host, port, unixPath, ssl, settings, printBanner, null);
    }

    /**
     * {@return options for TCP, with the default settings and a banner}
     * @param host the host ({@code 0.0.0.0} for every interface)
     * @param port the port
     */
    public static RunOptions tcp(String host, int port) {
        return new RunOptions(host, port, null, null, ServerSettings.defaults(), true, null);
    }

    /**
     * {@return options for a Unix socket}
     * @param path the socket's path
     */
    public static RunOptions unix(Path path) {
        return new RunOptions(null, 0, path, null, ServerSettings.defaults(), true, null);
    }

    /**
     * {@return these options with TLS on the TCP listener}
     * @param context the server's TLS context
     */
    public RunOptions withSsl(SSLContext context) {
        return new RunOptions(host, port, unixPath, context, settings, printBanner, loopGroup);
    }

    /**
     * {@return these options with other settings}
     * @param s the settings
     */
    public RunOptions withSettings(ServerSettings s) {
        return new RunOptions(host, port, unixPath, ssl, s, printBanner, loopGroup);
    }

    /**
     * {@return these options with the banner on or off}
     * @param on whether to print it
     */
    public RunOptions withBanner(boolean on) {
        return new RunOptions(host, port, unixPath, ssl, settings, on, loopGroup);
    }

    /**
     * {@return these options also listening on a Unix socket}
     * @param path the socket's path
     */
    public RunOptions withUnixPath(Path path) {
        return new RunOptions(host, port, path, ssl, settings, printBanner, loopGroup);
    }

    /**
     * {@return these options serving on every loop of a group} The application is set up, and
     * shut down on SIGINT or SIGTERM, by the loop that runs {@link Web#runApp} or
     * {@link Web#serve}; its connections are served by the group's loops.
     * @param group the group, or {@code null} for the loop that runs it alone
     */
    public RunOptions withLoopGroup(io.asyncio4j.LoopGroup group) {
        return new RunOptions(host, port, unixPath, ssl, settings, printBanner, group);
    }
}
