package io.asyncio4j.http.server;

/**
 * Options of a static directory ({@link Router#addStatic}): aiohttp's {@code add_static}
 * keywords.
 *
 * @param name the route's name, or {@code null}
 * @param followSymlinks whether a symbolic link may lead out of the directory (false: such a
 *     file is a 404, as aiohttp's default)
 * @param showIndex whether a directory is answered with a listing (false: 403)
 * @param chunkSize the size of the pieces a file is sent in when it cannot be sent zero-copy
 */
public record StaticOptions(String name, boolean followSymlinks, boolean showIndex, int chunkSize) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the chunk size is not positive
     */
    public StaticOptions {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
        }
    }

    /** {@return no name, no links out, no listings, 256 KiB pieces} */
    public static StaticOptions defaults() {
        return new StaticOptions(null, false, false, 256 * 1024);
    }

    /**
     * {@return these options with a route name}
     * @param routeName the name
     */
    public StaticOptions withName(String routeName) {
        return new StaticOptions(routeName, followSymlinks, showIndex, chunkSize);
    }

    /**
     * {@return these options following symbolic links out of the directory or not}
     * @param on whether to follow them
     */
    public StaticOptions withFollowSymlinks(boolean on) {
        return new StaticOptions(name, on, showIndex, chunkSize);
    }

    /**
     * {@return these options listing directories or not}
     * @param on whether to list them
     */
    public StaticOptions withShowIndex(boolean on) {
        return new StaticOptions(name, followSymlinks, on, chunkSize);
    }
}
