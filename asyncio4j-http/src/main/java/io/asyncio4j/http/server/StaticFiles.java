package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/*
 * Implementation overview
 *
 * The handler of a static route. The route's tail parameter is the decoded relative path (an
 * encoded slash %2F became '/' only after routing, so it cannot hide a segment). Traversal is
 * refused before the file system is asked: a NUL, a backslash, an empty, "." or ".." segment is
 * a 404, whatever encoding brought it (%2e%2e decodes to ".." before this check; a "%252e"
 * decodes once, to a literal "%2e" name). Then the candidate's real path (symbolic links
 * resolved) must stay under the root's real path unless followSymlinks: a link out of the root
 * is a 404, as in aiohttp. Directories are a 403, or a listing with showIndex.
 */

/** Serves files under a directory. */
final class StaticFiles {
    private StaticFiles() {
    }

    static Handler handler(Path directory, StaticOptions options) {
        Path root;
        try {
            root = directory.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("a static directory that does not exist: " + directory, e);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a directory: " + directory);
        }
        return request -> serve(root, options, request);
    }

    private static StreamResponse serve(Path root, StaticOptions options, Request request) throws Exception {
        String rel = request.matchInfo("filename");
        Path candidate = resolveSafely(root, rel);
        Path real = Asyncio.await(Asyncio.getRunningLoop().runInExecutor(() -> {
            try {
                Path r = options.followSymlinks() ? candidate.toAbsolutePath().normalize() : candidate.toRealPath();
                if (!options.followSymlinks() && !r.startsWith(root)) {
                    return null; // a link out of the root
                }
                return Files.exists(r, LinkOption.NOFOLLOW_LINKS) || Files.exists(r) ? r : null;
            } catch (NoSuchFileException e) {
                return null;
            }
        }));
        if (real == null) {
            throw HttpException.notFound();
        }
        if (Files.isDirectory(real)) {
            if (!options.showIndex()) {
                throw HttpException.forbidden();
            }
            return listing(root, real, request);
        }
        FileResponse f = new FileResponse(real);
        return f;
    }

    /** {@return the candidate under root}; a 404 for any segment that could leave it */
    static Path resolveSafely(Path root, String rel) {
        if (rel.indexOf('\0') >= 0 || rel.indexOf('\\') >= 0) {
            throw HttpException.notFound();
        }
        Path p = root;
        if (rel.isEmpty()) {
            return p;
        }
        String[] segments = rel.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals(".") || s.equals("..") || (s.isEmpty() && i < segments.length - 1 && i > 0)
                    || (s.isEmpty() && i == 0)) {
                throw HttpException.notFound();
            }
            if (!s.isEmpty()) {
                p = p.resolve(s);
            }
        }
        if (!p.normalize().startsWith(root)) {
            throw HttpException.notFound();
        }
        return p;
    }

    private static StreamResponse listing(Path root, Path dir, Request request) throws Exception {
        List<String> names = Asyncio.await(Asyncio.getRunningLoop().runInExecutor(() -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        String base = request.path().endsWith("/") ? request.path() : request.path() + "/";
        StringBuilder html = new StringBuilder("<html>\n<head>\n<title>Index of ").append(escape(base))
                .append("</title>\n</head>\n<body>\n<h1>Index of ").append(escape(base)).append("</h1>\n<ul>\n");
        for (String n : names) {
            html.append("<li><a href=\"").append(escape(base + n)).append("\">").append(escape(n))
                    .append("</a></li>\n");
        }
        html.append("</ul>\n</body>\n</html>\n");
        return Response.html(html.toString());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
