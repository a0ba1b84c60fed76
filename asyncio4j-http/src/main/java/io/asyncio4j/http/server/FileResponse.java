package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.MediaType;
import io.asyncio4j.http.internal.h1.HttpDate;
import io.asyncio4j.http.internal.server.RequestImpl;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/*
 * Implementation overview
 *
 * A file as the body. The file's attributes give the validators: ETag "<mtime ns hex>-<size hex>"
 * (strong, as aiohttp) and Last-Modified (whole seconds). The request's preconditions are
 * evaluated in RFC 9110 §13.2.2's order (If-Match, If-Unmodified-Since -> 412; If-None-Match,
 * If-Modified-Since -> 304 for GET and HEAD), then a single byte range (206, or 416 with
 * "Content-Range: bytes *\/size"; If-Range decides whether the range applies; several ranges are
 * answered with the whole file, which RFC 9110 allows). The body goes through Exchange.sendfile:
 * zero-copy with transferTo on plain TCP, read in pieces and written otherwise (TLS,
 * compression). Attributes are read on the default executor, as the file is opened: file system
 * calls may block.
 */

/**
 * A file as a response: aiohttp's {@code web.FileResponse}. Sends the file zero-copy when the
 * connection allows it, answers conditional requests ({@code If-None-Match},
 * {@code If-Modified-Since}: 304; {@code If-Match}, {@code If-Unmodified-Since}: 412) and single
 * byte ranges ({@code Range}, {@code If-Range}: 206 or 416), and sets {@code Content-Type} from
 * the file's extension unless set.
 *
 * {@snippet :
 * return new FileResponse(Path.of("reports", name + ".pdf"));
 * }
 *
 * <p>A missing or unreadable file is a 404; a directory a 403.
 */
public class FileResponse extends StreamResponse {
    private final Path path;

    /**
     * Makes the response.
     *
     * @param path the file
     */
    public FileResponse(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** {@return the file} */
    public Path path() {
        return path;
    }

    /** The validators and size of the file. */
    private record Stat(long size, Instant modified, String etag) {
    }

    @Override
    void complete(RequestImpl request) throws IOException {
        if (isPrepared()) {
            writeEof();
            return;
        }
        FileChannel ch;
        Stat st;
        try {
            Object[] opened = Asyncio.await(io.asyncio4j.Asyncio.getRunningLoop().runInExecutor(() -> open(path)));
            ch = (FileChannel) opened[0];
            st = (Stat) opened[1];
        } catch (Exception e) { // await passes the executor's checked exceptions through undeclared
            if (e instanceof NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
                throw HttpException.notFound();
            }
            throw e;
        }
        try {
            send(request, ch, st);
        } finally {
            ch.close();
        }
    }

    private static Object[] open(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        if (a.isDirectory()) {
            throw HttpException.forbidden();
        }
        if (!a.isRegularFile()) {
            throw HttpException.notFound();
        }
        FileChannel ch = FileChannel.open(path);
        long size = ch.size();
        Instant mtime = a.lastModifiedTime().toInstant();
        long ns = mtime.getEpochSecond() * 1_000_000_000L + mtime.getNano();
        String etag = "\"" + Long.toHexString(ns) + "-" + Long.toHexString(size) + "\"";
        return new Object[] {ch, new Stat(size, mtime.truncatedTo(ChronoUnit.SECONDS), etag)};
    }

    private void send(RequestImpl request, FileChannel ch, Stat st) throws IOException {
        Headers h = headers();
        h.set("ETag", st.etag());
        h.set("Last-Modified", HttpDate.format(st.modified()));
        h.setIfAbsent("Content-Type", MediaType.forFileName(path.getFileName().toString()).toString());
        HttpMethod m = request.method();
        boolean getOrHead = m == HttpMethod.GET || m == HttpMethod.HEAD;
        Headers rq = request.headers();

        // RFC 9110 §13.2.2: the order in which preconditions are evaluated
        String ifMatch = rq.get("If-Match");
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, st.etag(), true)) {
                respondWithoutBody(request, HttpStatus.PRECONDITION_FAILED);
                return;
            }
        } else {
            Instant ius = HttpDate.parse(rq.get("If-Unmodified-Since"));
            if (ius != null && st.modified().isAfter(ius)) {
                respondWithoutBody(request, HttpStatus.PRECONDITION_FAILED);
                return;
            }
        }
        String ifNoneMatch = rq.get("If-None-Match");
        if (ifNoneMatch != null) {
            if (etagMatches(ifNoneMatch, st.etag(), false)) {
                respondWithoutBody(request, getOrHead ? HttpStatus.NOT_MODIFIED : HttpStatus.PRECONDITION_FAILED);
                return;
            }
        } else if (getOrHead) {
            Instant ims = HttpDate.parse(rq.get("If-Modified-Since"));
            if (ims != null && !st.modified().isAfter(ims)) {
                respondWithoutBody(request, HttpStatus.NOT_MODIFIED);
                return;
            }
        }

        h.set("Accept-Ranges", "bytes");
        long start = 0;
        long count = st.size();
        String range = m == HttpMethod.GET ? rq.get("Range") : null;
        if (range != null && ifRangeAllows(rq.get("If-Range"), st)) {
            long[] r = parseRange(range, st.size());
            if (r == UNSATISFIABLE) {
                h.set("Content-Range", "bytes */" + st.size());
                h.remove("Accept-Ranges");
                respondWithoutBody(request, HttpStatus.RANGE_NOT_SATISFIABLE);
                return;
            }
            if (r != null) {
                start = r[0];
                count = r[1] - r[0] + 1;
                setStatus(HttpStatus.PARTIAL_CONTENT);
                h.set("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + st.size());
            }
        }
        setContentLength(count);
        prepare(request);
        exchange().sendfile(ch, start, count);
        writeEof();
    }

    private void respondWithoutBody(RequestImpl request, HttpStatus status) throws IOException {
        setStatus(status);
        if (status == HttpStatus.NOT_MODIFIED) {
            headers().remove("Content-Type");
        } else {
            headers().set("Content-Type", "text/plain; charset=utf-8");
        }
        byte[] body = status == HttpStatus.NOT_MODIFIED ? new byte[0]
                : (status.code() + ": " + status.reason() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        setContentLength(status.forbidsBody() ? -1 : body.length);
        prepare(request);
        if (body.length > 0) {
            write(body);
        }
        writeEof();
    }

    /** Compares entity tags (RFC 9110 §8.8.3.2): strong for If-Match, weak for If-None-Match. */
    static boolean etagMatches(String header, String etag, boolean strong) {
        String h = header.strip();
        if (h.equals("*")) {
            return true;
        }
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String t : h.split(",")) {
            String tag = t.strip();
            boolean weak = tag.startsWith("W/");
            if (weak) {
                if (strong) {
                    continue; // a weak tag never matches strongly
                }
                tag = tag.substring(2);
            }
            if (tag.equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ifRangeAllows(String ifRange, Stat st) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.strip();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(st.etag()); // a strong comparison; a weak tag never matches
        }
        Instant d = HttpDate.parse(v);
        return d != null && d.equals(st.modified());
    }

    private static final long[] UNSATISFIABLE = new long[0];

    /**
     * Parses a single byte range; null to ignore the header (malformed, or several ranges),
     * {@link #UNSATISFIABLE} for a range outside the file.
     */
    static long[] parseRange(String header, long size) {
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null; // another unit: ignored
        }
        String spec = h.substring(6).strip();
        if (spec.indexOf(',') >= 0) {
            return null; // several ranges: the whole file (RFC 9110 §14.2 lets a server ignore Range)
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty() || !b.chars().allMatch(Character::isDigit)) {
                    return null;
                }
                long suffix = Long.parseLong(b);
                if (suffix == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            if (!a.chars().allMatch(Character::isDigit) || (!b.isEmpty() && !b.chars().allMatch(Character::isDigit))) {
                return null;
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (!b.isEmpty() && Long.parseLong(b) < first) {
                return null; // an invalid range: ignored (RFC 9110 §14.1.1)
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null; // too many digits
        }
    }
}
