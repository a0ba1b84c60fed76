package io.asyncio4j.http.internal.ws;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/*
 * Implementation overview
 *
 * RFC 7692's permessage-deflate over the JDK's zlib: a raw Deflater (nowrap) compresses each
 * message with a sync flush and drops the flush's final 00 00 FF FF; the peer's messages get
 * those four bytes back and go through a raw Inflater. "No context takeover" resets the
 * (de)compressor after each message, for the side it applies to.
 *
 * What the JDK cannot honour is declined, as the RFC allows: java.util.zip always compresses
 * with a 32 KiB window (15 bits), so an offer that asks our compressor for a smaller window
 * (server_max_window_bits < 15 on a server, client_max_window_bits=N in a server's answer to a
 * client) cannot be met. Our Inflater takes any window up to 15 bits, so limits on the peer's
 * window are accepted. A client offers only what it can always honour, and the server's answer
 * to it cannot then ask for a window we cannot use.
 *
 * Owned by one connection; used on its loop thread only (sends and receives do not overlap).
 *
 * Memory: zlib's buffers are native (malloc), outside the heap. deflateInit2 allocates all of
 * the compressor's at once, 256 KiB at windowBits 15 and memLevel 8, and zeroes its 64 KiB hash
 * head; the rest becomes resident as messages touch it. The decompressor's 32 KiB window comes on
 * its first output. close() frees them; a Cleaner would too, but only after a collection, which
 * a large heap may put off while thousands of connections come and go. OPEN counts the
 * compressors not closed yet, for the tests that check that every path closes them.
 */

/** permessage-deflate: negotiation (both sides) and the compression of one connection. */
public final class PerMessageDeflate {
    /** The extension's token. */
    public static final String TOKEN = "permessage-deflate";
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final java.util.concurrent.atomic.AtomicLong OPEN = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The negotiated parameters.
     *
     * @param serverNoContextTakeover the server resets its compressor after each message
     * @param clientNoContextTakeover the client resets its compressor after each message
     * @param serverMaxWindowBits the server's window (8-15; always 15 when we compress as server)
     * @param clientMaxWindowBits the client's window (8-15)
     */
    public record Params(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
                         int clientMaxWindowBits) {

        /** {@return the value of {@code Sec-WebSocket-Extensions} that states these parameters (the server's answer)} */
        public String header() {
            StringBuilder b = new StringBuilder(TOKEN);
            if (serverNoContextTakeover) {
                b.append("; server_no_context_takeover");
            }
            if (clientNoContextTakeover) {
                b.append("; client_no_context_takeover");
            }
            if (serverMaxWindowBits < 15) {
                b.append("; server_max_window_bits=").append(serverMaxWindowBits);
            }
            if (clientMaxWindowBits < 15) {
                b.append("; client_max_window_bits=").append(clientMaxWindowBits);
            }
            return b.toString();
        }
    }

    private final Deflater deflater;
    private final Inflater inflater;
    private final boolean resetDeflater;
    private final boolean resetInflater;
    private final byte[] probe = new byte[1];
    private byte[] out = new byte[1024];
    private boolean closed;

    /**
     * Makes the compression of a connection.
     *
     * @param p the negotiated parameters
     * @param serverSide whether this is the server's side
     * @param level the compression level (0-9)
     */
    public PerMessageDeflate(Params p, boolean serverSide, int level) {
        this.deflater = new Deflater(level, true);
        this.inflater = new Inflater(true);
        this.resetDeflater = serverSide ? p.serverNoContextTakeover() : p.clientNoContextTakeover();
        this.resetInflater = serverSide ? p.clientNoContextTakeover() : p.serverNoContextTakeover();
        OPEN.incrementAndGet();
    }

    /** {@return how many compressors of this JVM are made and not closed yet} Never suspends. */
    public static long openCount() {
        return OPEN.get();
    }

    /**
     * Compresses one message.
     *
     * @param data the message
     * @param off its first byte
     * @param len its length
     * @return the compressed payload (without the 00 00 FF FF tail)
     */
    public byte[] deflate(byte[] data, int off, int len) {
        deflater.setInput(data, off, len);
        int n = 0;
        while (true) {
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            int k = deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            n += k;
            if (n < out.length && deflater.needsInput()) {
                break; // a sync flush that did not fill the room is complete
            }
        }
        if (resetDeflater) {
            deflater.reset();
        }
        // a sync flush ends with an empty stored block, 00 00 FF FF, which the RFC leaves out
        int end = n >= 4 && out[n - 4] == 0 && out[n - 3] == 0 && out[n - 2] == (byte) 0xFF && out[n - 1] == (byte) 0xFF
                ? n - 4 : n;
        if (end == 0) {
            return new byte[] {0}; // an empty message: one empty fixed block, as RFC 7692 §7.2.3.6
        }
        return Arrays.copyOf(out, end);
    }

    /**
     * Decompresses one message.
     *
     * @param data the compressed payload (without its tail)
     * @param len its length
     * @param max the largest size allowed after inflation
     * @return the message
     * @throws WsProtocolException 1009 if it inflates past {@code max}, 1007 if the data is not deflate
     */
    public byte[] inflate(byte[] data, int len, int max) throws WsProtocolException {
        byte[] r = new byte[(int) Math.max(64, Math.min(max, 4L * len))];
        int n = 0;
        try {
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 0) {
                    inflater.setInput(data, 0, len);
                } else {
                    inflater.setInput(TAIL);
                }
                while (true) {
                    if (n == r.length) {
                        if (r.length >= max) {
                            // the room is full at the limit: one more byte would be over it
                            if (inflater.inflate(probe) > 0) {
                                throw new WsProtocolException(1009, "a message inflates to more than " + max + " bytes");
                            }
                            if (inflater.needsDictionary()) {
                                throw new DataFormatException("a preset dictionary");
                            }
                            if (inflater.finished()) {
                                inflater.reset();
                            }
                            break;
                        }
                        r = Arrays.copyOf(r, (int) Math.min(max, 2L * r.length));
                    }
                    int k = inflater.inflate(r, n, r.length - n);
                    n += k;
                    if (inflater.needsDictionary()) {
                        throw new DataFormatException("a preset dictionary");
                    }
                    if (inflater.finished()) {
                        // a final block ends the raw stream (allowed when the peer takes no context over)
                        inflater.reset();
                        break;
                    }
                    if (k == 0 && inflater.needsInput()) {
                        break;
                    }
                }
            }
        } catch (DataFormatException e) {
            inflater.reset();
            throw new WsProtocolException(1007, "a compressed message is not valid deflate data");
        }
        if (resetInflater) {
            inflater.reset();
        }
        return n == r.length ? r : Arrays.copyOf(r, n);
    }

    /** Frees the native memory of the compressor and decompressor; idempotent. Never suspends. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        deflater.end();
        inflater.end();
        OPEN.decrementAndGet();
    }

    // ------------------------------------------------------------------ negotiation

    /**
     * The server's side: picks the first offer it can honour from the client's
     * {@code Sec-WebSocket-Extensions} values.
     *
     * @param offers the header's values (each may hold several comma-separated extensions)
     * @param serverNoContextTakeover whether the server wants to reset its compressor per message
     * @return the accepted parameters, or {@code null} when no offer can be honoured (or none was made)
     */
    public static Params negotiateServer(List<String> offers, boolean serverNoContextTakeover) {
        for (String value : offers) {
            for (String ext : splitTopLevel(value, ',')) {
                List<String> parts = splitTopLevel(ext, ';');
                if (parts.isEmpty() || !parts.get(0).strip().equalsIgnoreCase(TOKEN)) {
                    continue;
                }
                Params p = acceptOffer(parts, serverNoContextTakeover);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    private static Params acceptOffer(List<String> parts, boolean serverNoContextTakeover) {
        boolean snct = serverNoContextTakeover;
        boolean cnct = false;
        int smwb = 15;
        int cmwb = 15;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i).strip();
            if (p.isEmpty()) {
                return null;
            }
            String name = p;
            String value = null;
            int eq = p.indexOf('=');
            if (eq >= 0) {
                name = p.substring(0, eq).strip();
                value = unquote(p.substring(eq + 1).strip());
            }
            name = name.toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                return null; // a parameter twice: the offer is invalid (RFC 7692 §7)
            }
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (value != null) {
                        return null;
                    }
                    snct = true;
                }
                case "client_no_context_takeover" -> {
                    if (value != null) {
                        return null;
                    }
                    cnct = true;
                }
                case "server_max_window_bits" -> {
                    int bits = windowBits(value);
                    if (bits != 15) {
                        return null; // our compressor always uses 15 bits: decline (bits < 15 or invalid)
                    }
                    smwb = 15;
                }
                case "client_max_window_bits" -> {
                    if (value != null) {
                        int bits = windowBits(value);
                        if (bits < 0) {
                            return null;
                        }
                    }
                    // our inflater takes any window; the client keeps its own choice (we do not answer a value)
                    cmwb = 15;
                }
                default -> {
                    return null; // unknown parameter: decline this offer
                }
            }
        }
        return new Params(snct, cnct, smwb, cmwb);
    }

    /**
     * The client's side: the offer it sends ({@code permessage-deflate}, which any answer within
     * RFC 7692 lets us honour).
     *
     * @param clientNoContextTakeover whether the client resets its compressor per message
     * @return the header value
     */
    public static String clientOffer(boolean clientNoContextTakeover) {
        return clientNoContextTakeover ? TOKEN + "; client_no_context_takeover" : TOKEN;
    }

    /**
     * The client's side: checks the server's answer.
     *
     * @param answer the server's {@code Sec-WebSocket-Extensions} values
     * @param clientNoContextTakeover what the client offered
     * @return the parameters, or {@code null} if the server accepted no extension
     * @throws IllegalArgumentException if the answer is not one the offer allows (the handshake fails)
     */
    public static Params negotiateClient(List<String> answer, boolean clientNoContextTakeover) {
        Params result = null;
        for (String value : answer) {
            for (String ext : splitTopLevel(value, ',')) {
                List<String> parts = splitTopLevel(ext, ';');
                if (parts.isEmpty() || parts.get(0).isBlank()) {
                    continue;
                }
                if (!parts.get(0).strip().equalsIgnoreCase(TOKEN)) {
                    throw new IllegalArgumentException("the server accepted an extension that was not offered: " + ext.strip());
                }
                if (result != null) {
                    throw new IllegalArgumentException("the server accepted permessage-deflate twice");
                }
                boolean snct = false;
                boolean cnct = clientNoContextTakeover;
                int smwb = 15;
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int i = 1; i < parts.size(); i++) {
                    String p = parts.get(i).strip();
                    String name = p;
                    String v = null;
                    int eq = p.indexOf('=');
                    if (eq >= 0) {
                        name = p.substring(0, eq).strip();
                        v = unquote(p.substring(eq + 1).strip());
                    }
                    name = name.toLowerCase(Locale.ROOT);
                    if (!seen.add(name)) {
                        throw new IllegalArgumentException("permessage-deflate parameter " + name + " twice");
                    }
                    switch (name) {
                        case "server_no_context_takeover" -> snct = true;
                        case "client_no_context_takeover" -> cnct = true;
                        case "server_max_window_bits" -> {
                            smwb = windowBits(v);
                            if (smwb < 0) {
                                throw new IllegalArgumentException("invalid server_max_window_bits: " + v);
                            }
                        }
                        case "client_max_window_bits" -> throw new IllegalArgumentException(
                                "the server set client_max_window_bits, which was not offered");
                        default -> throw new IllegalArgumentException("unknown permessage-deflate parameter " + name);
                    }
                }
                result = new Params(snct, cnct, smwb, 15);
            }
        }
        return result;
    }

    private static int windowBits(String v) {
        if (v == null || v.length() > 2 || v.isEmpty() || (v.length() == 2 && v.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        int n = Integer.parseInt(v);
        return n >= 8 && n <= 15 ? n : -1;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static List<String> splitTopLevel(String s, char sep) {
        List<String> out = new java.util.ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
