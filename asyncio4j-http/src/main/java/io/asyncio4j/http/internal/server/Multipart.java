package io.asyncio4j.http.internal.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.MediaType;
import io.asyncio4j.http.Params;
import io.asyncio4j.http.server.BodyPart;
import io.asyncio4j.http.server.BodyReader;
import io.asyncio4j.http.server.FileField;
import io.asyncio4j.http.server.FormData;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.http.server.MultipartReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/*
 * Implementation overview
 *
 * A streaming multipart parser (RFC 2046 §5.1, RFC 7578) over a BodyReader. `buf[start, end)`
 * holds bytes read from the body and not yet returned. The first delimiter is "--boundary" at the
 * very start or after CRLF; every later one is CRLF "--boundary". A part's data is everything up
 * to the next delimiter: readChunk() returns what is certainly data, keeping back a tail as long
 * as a delimiter (which might be one still arriving), and reads more from the body only when
 * nothing can be returned. Memory: one chunk from the body plus that tail. Malformed bodies (no
 * delimiter, a body that ends inside a part, a header section over 16 KiB) are 400s.
 */

/** A streaming {@code multipart/*} reader. */
final class Multipart implements MultipartReader {
    private static final int MAX_HEADERS = 16 * 1024;

    private final BodyReader body;
    private final byte[] delimiter; // CRLF "--" boundary
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private boolean bodyEof;
    private boolean finished;
    private boolean first = true;
    private Part current;

    Multipart(BodyReader body, String boundary) {
        this.body = body;
        this.delimiter = ("\r\n--" + boundary).getBytes(ISO_8859_1);
    }

    private static HttpException malformed(String what) {
        return HttpException.badRequest("400: a malformed multipart body: " + what);
    }

    /** Reads more of the body into buf; false at its end. */
    private boolean fill() throws IOException {
        if (bodyEof) {
            return false;
        }
        byte[] more = body.readAny();
        if (more.length == 0) {
            bodyEof = true;
            return false;
        }
        if (start > 0 && end - start + more.length > buf.length - start) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + more.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + more.length));
        }
        System.arraycopy(more, 0, buf, end, more.length);
        end += more.length;
        return true;
    }

    private int indexOf(byte[] needle, int from) {
        outer:
        for (int i = from; i <= end - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private boolean ensure(int n) throws IOException {
        while (end - start < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public BodyPart next() throws IOException {
        if (finished) {
            return null;
        }
        if (current != null) {
            while (current.readChunk().length > 0) {
                // skip the rest of the part
            }
        }
        if (first) {
            first = false;
            // the first delimiter may open the body without the CRLF before it
            if (!ensure(delimiter.length - 2)) {
                throw malformed("no boundary");
            }
            if (!startsWith(start, delimiter, 2)) {
                int at;
                while ((at = indexOf(delimiter, start)) < 0) {
                    start = Math.max(start, end - delimiter.length); // preamble: dropped
                    if (!fill()) {
                        throw malformed("no boundary");
                    }
                }
                start = at + 2;
            }
            start += delimiter.length - 2;
        }
        // after a delimiter: "--" closes; else optional whitespace then CRLF
        if (!ensure(2)) {
            throw malformed("the body ends after a boundary");
        }
        if (buf[start] == '-' && buf[start + 1] == '-') {
            finished = true;
            current = null;
            return null;
        }
        while (true) {
            if (!ensure(2)) {
                throw malformed("the body ends after a boundary");
            }
            if (buf[start] == ' ' || buf[start] == '\t') {
                start++;
                continue;
            }
            if (buf[start] != '\r' || buf[start + 1] != '\n') {
                throw malformed("a boundary not followed by CRLF");
            }
            start += 2;
            break;
        }
        Headers headers = readHeaders();
        current = new Part(headers);
        return current;
    }

    private boolean startsWith(int at, byte[] needle, int from) {
        if (end - at < needle.length - from) {
            return false;
        }
        for (int j = from; j < needle.length; j++) {
            if (buf[at + j - from] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private Headers readHeaders() throws IOException {
        Headers h = new Headers();
        int total = 0;
        while (true) {
            int lf;
            while ((lf = indexOfByte((byte) '\n', start)) < 0) {
                if (end - start > MAX_HEADERS || !fill()) {
                    throw malformed(end - start > MAX_HEADERS ? "a part's headers are larger than 16 KiB"
                            : "the body ends in a part's headers");
                }
            }
            if (lf == start || buf[lf - 1] != '\r') {
                throw malformed("a part's header line does not end in CRLF");
            }
            total += lf + 1 - start;
            if (total > MAX_HEADERS) {
                throw malformed("a part's headers are larger than 16 KiB");
            }
            String line = new String(buf, start, lf - 1 - start, UTF_8);
            start = lf + 1;
            if (line.isEmpty()) {
                return h.freeze();
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("a part's header line without a name");
            }
            try {
                h.add(line.substring(0, colon), line.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw malformed(e.getMessage());
            }
        }
    }

    private int indexOfByte(byte b, int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** One part; its data ends at the next delimiter. */
    private final class Part implements BodyPart {
        private final Headers headers;
        private final Params disposition;
        private boolean done;

        Part(Headers headers) {
            this.headers = headers;
            this.disposition = dispositionParams(headers.get("Content-Disposition"));
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public Optional<String> name() {
            return disposition.get("name");
        }

        @Override
        public Optional<String> filename() {
            Optional<String> star = disposition.get("filename*");
            if (star.isPresent()) {
                String v = star.get();
                int q = v.indexOf("''");
                if (q > 0) {
                    try {
                        return Optional.of(Params.decode(v.substring(q + 2), false,
                                Charset.forName(v.substring(0, q))));
                    } catch (IllegalArgumentException e) {
                        // an unknown charset: fall back to filename
                    }
                }
            }
            return disposition.get("filename");
        }

        @Override
        public String contentType() {
            return headers.getOrDefault("Content-Type", "text/plain");
        }

        @Override
        public byte[] readChunk() throws IOException {
            if (done) {
                return new byte[0];
            }
            while (true) {
                int at = indexOf(delimiter, start);
                if (at >= 0) {
                    if (at > start) {
                        byte[] out = Arrays.copyOfRange(buf, start, at);
                        start = at;
                        return out;
                    }
                    start = at + delimiter.length; // the delimiter: the part ends
                    done = true;
                    return new byte[0];
                }
                int safe = end - (delimiter.length - 1);
                if (safe > start) {
                    byte[] out = Arrays.copyOfRange(buf, start, safe);
                    start = safe;
                    return out;
                }
                if (!fill()) {
                    throw malformed("the body ends inside a part");
                }
            }
        }

        @Override
        public byte[] read() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] c; (c = readChunk()).length > 0; ) {
                all.writeBytes(c);
            }
            return all.toByteArray();
        }

        @Override
        public String text() throws IOException {
            Charset cs = MediaType.tryParse(contentType()).flatMap(MediaType::charset).orElse(UTF_8);
            return new String(read(), cs);
        }
    }

    /** Parses {@code form-data; name="a"; filename="b.txt"} into its parameters. */
    static Params dispositionParams(String value) {
        if (value == null) {
            return Params.empty();
        }
        List<String> pairs = new ArrayList<>();
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            i++;
            while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            int eq = value.indexOf('=', i);
            int semi = value.indexOf(';', i);
            if (eq < 0 || (semi >= 0 && semi < eq)) {
                i = semi;
                continue;
            }
            String name = value.substring(i, eq).strip().toLowerCase(java.util.Locale.ROOT);
            int v = eq + 1;
            String val;
            if (v < value.length() && value.charAt(v) == '"') {
                StringBuilder b = new StringBuilder();
                int j = v + 1;
                while (j < value.length() && value.charAt(j) != '"') {
                    if (value.charAt(j) == '\\' && j + 1 < value.length()) {
                        j++;
                    }
                    b.append(value.charAt(j++));
                }
                val = b.toString();
                i = value.indexOf(';', j);
            } else {
                int e = value.indexOf(';', v);
                val = (e < 0 ? value.substring(v) : value.substring(v, e)).strip();
                i = e;
            }
            pairs.add(name);
            pairs.add(val);
        }
        return Params.of(pairs.toArray(String[]::new));
    }

    /** Reads a whole multipart/form-data body: text fields and files, in memory. */
    static FormData readForm(MultipartReader reader, long limit) throws IOException {
        List<String> fields = new ArrayList<>();
        List<FileField> files = new ArrayList<>();
        for (BodyPart p; (p = reader.next()) != null; ) {
            String name = p.name().orElseThrow(() -> malformed("a form part without a name"));
            Optional<String> filename = p.filename();
            if (filename.isPresent()) {
                files.add(new FileField(name, filename.get(), p.contentType(), p.headers(), p.read()));
            } else {
                fields.add(name);
                fields.add(p.text());
            }
        }
        return new FormData(Params.of(fields.toArray(String[]::new)), files);
    }
}
