package io.asyncio4j.http.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code multipart/form-data} body (RFC 7578): aiohttp's {@code FormData} with files. Text
 * fields and byte parts are held in memory; file parts are streamed from disk when the request is
 * sent, so a large upload never sits in memory. The length is known (the files' sizes are taken at
 * sending), so it goes out with {@code Content-Length}. Immutable: each method returns a new body.
 *
 * {@snippet :
 * RequestBody form = Multipart.formData()
 *         .field("title", "holiday")
 *         .file("photo", Path.of("beach.jpg"), "image/jpeg");
 * session.post(url, form);
 * }
 */
public final class Multipart implements RequestBody {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String boundary;
    private final List<Part> parts;

    private record Part(String name, String filename, String contentType, byte[] data, Path file) {
    }

    /** A piece of the encoded body: bytes, or a file's content. */
    record Piece(byte[] bytes, Path file, long length) {
    }

    /** The encoded body: its bytes when it has no file, and its length. */
    record Encoded(byte[] bytes, long length) {
    }

    private Multipart(String boundary, List<Part> parts) {
        this.boundary = boundary;
        this.parts = parts;
    }

    /** {@return an empty form with a random boundary} */
    public static Multipart formData() {
        byte[] r = new byte[12];
        RANDOM.nextBytes(r);
        return new Multipart("----asyncio4j" + java.util.HexFormat.of().formatHex(r), List.of());
    }

    private Multipart with(Part p) {
        List<Part> l = new ArrayList<>(parts);
        l.add(p);
        return new Multipart(boundary, List.copyOf(l));
    }

    /**
     * {@return this form with a text field}
     * @param name the field's name
     * @param value its value (UTF-8)
     */
    public Multipart field(String name, String value) {
        return with(new Part(check(name), null, null, value.getBytes(UTF_8), null));
    }

    /**
     * {@return this form with a part of bytes}
     * @param name the field's name
     * @param data the bytes
     * @param filename the file name to send, or {@code null}
     * @param contentType its content type, or {@code null} for application/octet-stream
     */
    public Multipart bytes(String name, byte[] data, String filename, String contentType) {
        return with(new Part(check(name), filename, contentType != null ? contentType : "application/octet-stream",
                Objects.requireNonNull(data, "data"), null));
    }

    /**
     * {@return this form with a file part, streamed from disk when sent}
     * @param name the field's name
     * @param file the file (its name is sent as the part's file name)
     * @param contentType the content type, or {@code null} to guess it from the file's name
     */
    public Multipart file(String name, Path file, String contentType) {
        String fn = file.getFileName().toString();
        return with(new Part(check(name), fn, contentType != null ? contentType : MediaType.forFileName(fn).toString(),
                null, file));
    }

    private static String check(String name) {
        Objects.requireNonNull(name, "name");
        return name;
    }

    /** {@return the boundary} */
    public String boundary() {
        return boundary;
    }

    @Override
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    private static String quote(String s) {
        // RFC 7578 §4.2 with the HTML living standard's escaping: quotes and line breaks escaped
        return "\"" + s.replace("\\", "\\\\").replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A") + "\"";
    }

    /** {@return the pieces, with the files' sizes (taken now, on the default executor)} Suspends. */
    List<Piece> pieces() throws IOException {
        List<Piece> out = new ArrayList<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=").append(quote(p.name()));
            if (p.filename() != null) {
                h.append("; filename=").append(quote(p.filename()));
            }
            h.append("\r\n");
            if (p.contentType() != null) {
                h.append("Content-Type: ").append(p.contentType()).append("\r\n");
            }
            h.append("\r\n");
            buf.writeBytes(h.toString().getBytes(UTF_8));
            if (p.file() == null) {
                buf.writeBytes(p.data());
            } else {
                out.add(new Piece(buf.toByteArray(), null, buf.size()));
                buf.reset();
                Path f = p.file();
                long size = Asyncio.await(Asyncio.getRunningLoop().runInExecutor(() -> java.nio.file.Files.size(f)));
                out.add(new Piece(null, f, size));
            }
            buf.writeBytes("\r\n".getBytes(UTF_8));
        }
        buf.writeBytes(("--" + boundary + "--\r\n").getBytes(UTF_8));
        out.add(new Piece(buf.toByteArray(), null, buf.size()));
        return out;
    }

    /** {@return the whole body if it has no file, else its length} Suspends for the files' sizes. */
    Encoded encode() throws IOException {
        List<Piece> ps = pieces();
        long total = 0;
        for (Piece p : ps) {
            total += p.length();
        }
        if (ps.size() == 1) {
            return new Encoded(ps.get(0).bytes(), total);
        }
        return new Encoded(null, total);
    }

    @Override
    public String toString() {
        return "Multipart[" + parts.size() + " parts]";
    }
}
