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
 */
public record RunOptions(String host, int port, Path unixPath, SSLContext ssl, ServerSettings settings,
                         boolean printBanner) {
    /** Checks that there is somewhere to listen. */
    public RunOptions {
        Objects.requireNonNull(settings, "settings");
        if (host == null && unixPath == null) {
            throw new IllegalArgumentException("nowhere to listen: give a host or a Unix socket path");
        }
    }

    /**
     * {@return options for TCP, with the default settings and a banner}
     * @param host the host ({@code 0.0.0.0} for every interface)
     * @param port the port
     */
    public static RunOptions tcp(String host, int port) {
        return new RunOptions(host, port, null, null, ServerSettings.defaults(), true);
    }

    /**
     * {@return options for a Unix socket}
     * @param path the socket's path
     */
    public static RunOptions unix(Path path) {
        return new RunOptions(null, 0, path, null, ServerSettings.defaults(), true);
    }

    /**
     * {@return these options with TLS on the TCP listener}
     * @param context the server's TLS context
     */
    public RunOptions withSsl(SSLContext context) {
        return new RunOptions(host, port, unixPath, context, settings, printBanner);
    }

    /**
     * {@return these options with other settings}
     * @param s the settings
     */
    public RunOptions withSettings(ServerSettings s) {
        return new RunOptions(host, port, unixPath, ssl, s, printBanner);
    }

    /**
     * {@return these options with the banner on or off}
     * @param on whether to print it
     */
    public RunOptions withBanner(boolean on) {
        return new RunOptions(host, port, unixPath, ssl, settings, on);
    }

    /**
     * {@return these options also listening on a Unix socket}
     * @param path the socket's path
     */
    public RunOptions withUnixPath(Path path) {
        return new RunOptions(host, port, path, ssl, settings, printBanner);
    }
}
