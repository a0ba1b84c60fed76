package io.asyncio4j.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpParseException;
import io.asyncio4j.http.HttpVersion;
import java.nio.ByteBuffer;

/*
 * Implementation overview
 *
 * A sans-IO pull parser for HTTP/1.1 messages (RFC 9112), in the manner of h11: the caller owns
 * the bytes (a heap ByteBuffer between position and limit) and calls next() for one event at a
 * time; the parser does no I/O, keeps no reference to the buffer between calls and consumes
 * (advances the position past) exactly the bytes of the events it returns. A partial line stays
 * in the caller's buffer; `scan` remembers how far it was searched for LF, so a client that
 * sends one byte at a time costs O(n) and not O(n^2).
 *
 *   START_LINE -> HEADERS -> (HEAD) -> BODY_LENGTH ----------------------------> END_PENDING -> (END)
 *                                   -> CHUNK_SIZE <-> CHUNK_DATA -> CHUNK_CRLF     ^
 *                                         \-> (size 0) TRAILERS -------------------/
 *                                   -> UNTIL_EOF (responses only) -- eof() -------/
 *   after END: START_LINE again (the next message on a persistent connection); after a 101
 *   response or a granted upgrade: UPGRADED (the rest is not HTTP).
 *
 * Strictness (requests): every line ends in CRLF (a bare LF or CR is an error); no obsolete
 * line folding; field names are tokens immediately followed by ':'; field values hold no
 * control byte but HTAB; Content-Length is one field of digits; Transfer-Encoding ends in a
 * single "chunked" and never comes with Content-Length or in HTTP/1.0; chunk sizes are 1 to 16
 * hex digits; chunk lines (with extensions) are bounded; HTTP/1.1 needs exactly one valid Host.
 * Each failure is an HttpParseException with the status to answer; after one the parser is
 * FAILED and the connection must close.
 */

/** A pull parser of HTTP/1.1 requests or responses, with no I/O of its own. */
public final class H1Parser {

    /** What {@link #next} found. */
    public enum Event {
        /** More bytes are needed; everything given was consumed or is kept for later. */
        NEED_DATA,
        /** A message head: {@link #head()}. */
        HEAD,
        /** Some body bytes: {@link #body()}. */
        BODY,
        /** The message is complete (trailers in {@link #trailers()}). */
        END
    }

    private enum State {
        START_LINE, HEADERS, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILERS, UNTIL_EOF, END_PENDING,
        UPGRADED, FAILED
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HT = '\t';

    private final boolean requests;
    private final H1Limits limits;
    private State state = State.START_LINE;
    /** Bytes of the current line already searched for LF, from the buffer's position. */
    private int scan;
    private boolean eof;

    // the message being parsed
    private HttpMethod method;
    private String target;
    private int status;
    private String reason;
    private HttpVersion version;
    private Headers headers;
    private int sectionBytes;
    private int fieldCount;
    private int hostCount;
    private String host;
    /** The previous message's target and first field values, for {@link #reuse}. */
    private String lastTarget;
    private static final int VALUE_CACHE = 16;
    private final String[] lastValues = new String[VALUE_CACHE];
    private int contentLengthCount;
    private String contentLengthValue;
    private StringBuilder transferEncoding;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean connectionUpgrade;
    private boolean hasUpgradeField;
    private String expect;
    private MessageHead head;

    // the body
    private long remaining;
    private long bodyTotal;
    private long bodyLimit;
    private boolean bodyLimitChecked;
    private ByteBuffer body;
    private Headers trailers;
    /** Responses: the request was HEAD, so no body follows whatever the fields say. */
    private boolean noBodyExpected;
    private int leadingEmptyLineBytes;

    private H1Parser(boolean requests, H1Limits limits) {
        this.requests = requests;
        this.limits = limits;
        this.bodyLimit = limits.maxBody();
    }

    /**
     * {@return a parser of requests (a server's)}
     * @param limits the limits
     */
    public static H1Parser forRequests(H1Limits limits) {
        return new H1Parser(true, limits);
    }

    /**
     * {@return a parser of responses (a client's)}
     * @param limits the limits; the body limit is not applied to responses
     */
    public static H1Parser forResponses(H1Limits limits) {
        H1Parser p = new H1Parser(false, limits);
        p.bodyLimit = Long.MAX_VALUE;
        return p;
    }

    /** {@return the head of the current message (after {@link Event#HEAD})} */
    public MessageHead head() {
        return head;
    }

    /**
     * {@return the body bytes of the last {@link Event#BODY}: a view of the caller's buffer, valid
     * until the caller reuses those bytes}
     */
    public ByteBuffer body() {
        return body;
    }

    /** {@return the trailer fields of a chunked message (after {@link Event#END}), maybe empty} */
    public Headers trailers() {
        return trailers != null ? trailers : EMPTY;
    }

    private static final Headers EMPTY = new Headers().freeze();

    /**
     * Sets the body limit of the current request, before its body is read (a handler that
     * accepts larger uploads). Never suspends.
     *
     * @param bytes the largest body; {@link Long#MAX_VALUE} for none
     */
    public void setBodyLimit(long bytes) {
        this.bodyLimit = bytes;
    }

    /** {@return the body limit in force} */
    public long bodyLimit() {
        return bodyLimit;
    }

    /** Responses: the next response answers a HEAD request, so it has no body. */
    public void expectNoBody() {
        noBodyExpected = true;
    }

    /** The input ended (the peer closed): ends a body delimited by the close. */
    public void eof() {
        eof = true;
    }

    /** {@return whether the parser is between messages with nothing of the next one consumed} */
    public boolean atMessageStart() {
        return state == State.START_LINE && scan == 0;
    }

    /** {@return whether the body of the current message has been read to its end} */
    public boolean bodyComplete() {
        return state == State.END_PENDING || state == State.START_LINE || state == State.UPGRADED;
    }

    /** {@return how many body bytes of the current message are still expected, or -1 if unknown} */
    public long remainingBodyBytes() {
        return switch (state) {
            case BODY_LENGTH -> remaining;
            case END_PENDING, START_LINE -> 0;
            default -> -1;
        };
    }

    /**
     * Hands the rest of the connection to another protocol: after a {@code 101 Switching
     * Protocols} for a request head with {@code upgrade}, or for a CONNECT. The parser takes no
     * more input.
     */
    public void upgrade() {
        state = State.UPGRADED;
    }

    /**
     * Parses the next event from {@code in} (a heap buffer: bytes from position to limit). Bytes
     * of a partial line are left in place for the next call, with more appended. Never suspends.
     *
     * @param in the input
     * @return the event
     * @throws HttpParseException if the input breaks the syntax, the framing rules or a limit
     * @throws IllegalStateException after a failure or an upgrade
     */
    public Event next(ByteBuffer in) throws HttpParseException {
        try {
            return step(in);
        } catch (HttpParseException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private Event step(ByteBuffer in) throws HttpParseException {
        byte[] a = in.array();
        int base = in.arrayOffset();
        while (true) {
            int pos = base + in.position();
            int end = base + in.limit();
            switch (state) {
                case START_LINE -> {
                    int lf = findLf(a, pos, end);
                    // the length is checked before the line's syntax, so that the verdict does not
                    // depend on whether the LF had arrived yet
                    if ((lf < 0 ? end : lf) - pos > limits.maxStartLine() + 1) {
                        throw requests ? new HttpParseException(414, "the request line is longer than "
                                + limits.maxStartLine() + " bytes")
                                : new HttpParseException(400, "the status line is too long");
                    }
                    if (lf < 0) {
                        return needData(in);
                    }
                    int lineEnd = lineEnd(a, pos, lf, "request line");
                    if (lineEnd == pos) {
                        // RFC 9112 §2.2: an empty line before the request line is ignored (bounded)
                        leadingEmptyLineBytes += 2;
                        if (!requests || leadingEmptyLineBytes > limits.maxStartLine()) {
                            throw new HttpParseException(400, "empty lines instead of a " + (requests ? "request"
                                    : "status") + " line");
                        }
                        consume(in, lf + 1 - base);
                        continue;
                    }
                    beginMessage();
                    if (requests) {
                        parseRequestLine(a, pos, lineEnd);
                    } else {
                        parseStatusLine(a, pos, lineEnd);
                    }
                    consume(in, lf + 1 - base);
                    state = State.HEADERS;
                }
                case HEADERS, TRAILERS -> {
                    boolean trailer = state == State.TRAILERS;
                    int lf = findLf(a, pos, end);
                    if (sectionBytes + (lf < 0 ? end - pos : lf + 1 - pos) > limits.maxHeaderBytes()) {
                        throw tooLarge(trailer);
                    }
                    if (lf < 0) {
                        return needData(in);
                    }
                    int lineEnd = lineEnd(a, pos, lf, trailer ? "trailer section" : "header section");
                    sectionBytes += lf + 1 - pos;
                    if (lineEnd == pos) {
                        consume(in, lf + 1 - base);
                        if (trailer) {
                            trailers.freeze();
                            state = State.END_PENDING;
                            continue;
                        }
                        return finishHead();
                    }
                    if (++fieldCount > limits.maxHeaders()) {
                        throw new HttpParseException(431, "more than " + limits.maxHeaders() + " "
                                + (trailer ? "trailer" : "header") + " fields");
                    }
                    parseField(a, pos, lineEnd, trailer);
                    consume(in, lf + 1 - base);
                }
                case BODY_LENGTH -> {
                    if (!bodyLimitChecked) {
                        bodyLimitChecked = true;
                        if (remaining > bodyLimit) {
                            throw new HttpParseException(413, "the body of " + remaining + " bytes is larger than "
                                    + bodyLimit);
                        }
                    }
                    if (remaining == 0) {
                        state = State.END_PENDING;
                        continue;
                    }
                    if (end == pos) {
                        return needDataForBody();
                    }
                    int n = (int) Math.min(end - pos, remaining);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.END_PENDING;
                    }
                    return bodySlice(in, n);
                }
                case CHUNK_SIZE -> {
                    int lf = findLf(a, pos, end);
                    if ((lf < 0 ? end : lf) - pos > limits.maxChunkLine() + 1) {
                        throw new HttpParseException(400, "a chunk-size line (with its extensions) is longer than "
                                + limits.maxChunkLine() + " bytes");
                    }
                    if (lf < 0) {
                        return needData(in);
                    }
                    int lineEnd = lineEnd(a, pos, lf, "chunk-size line");
                    long size = parseChunkSize(a, pos, lineEnd);
                    consume(in, lf + 1 - base);
                    if (size == 0) {
                        trailers = new Headers();
                        sectionBytes = 0;
                        fieldCount = 0;
                        state = State.TRAILERS;
                        continue;
                    }
                    bodyTotal += size;
                    if (bodyTotal > bodyLimit || bodyTotal < 0) {
                        throw new HttpParseException(413, "the chunked body is larger than " + bodyLimit + " bytes");
                    }
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
                case CHUNK_DATA -> {
                    if (end == pos) {
                        return needDataForBody();
                    }
                    int n = (int) Math.min(end - pos, remaining);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_CRLF;
                    }
                    return bodySlice(in, n);
                }
                case CHUNK_CRLF -> {
                    if (end - pos < 2) {
                        if (end - pos == 1 && a[pos] != CR) {
                            throw new HttpParseException(400, "chunk data is not followed by CRLF");
                        }
                        if (eof) {
                            throw truncated();
                        }
                        return needData(in);
                    }
                    if (a[pos] != CR || a[pos + 1] != LF) {
                        throw new HttpParseException(400, "chunk data is not followed by CRLF");
                    }
                    consume(in, pos + 2 - base);
                    state = State.CHUNK_SIZE;
                }
                case UNTIL_EOF -> {
                    if (end > pos) {
                        return bodySlice(in, end - pos);
                    }
                    if (eof) {
                        state = State.END_PENDING;
                        continue;
                    }
                    return Event.NEED_DATA;
                }
                case END_PENDING -> {
                    state = State.START_LINE;
                    return Event.END;
                }
                case UPGRADED -> throw new IllegalStateException("the connection was upgraded: it carries no more "
                        + "HTTP/1.1 messages");
                case FAILED -> throw new IllegalStateException("the parser failed already: close the connection");
                default -> throw new AssertionError(state);
            }
        }
    }

    private Event needData(ByteBuffer in) throws HttpParseException {
        scan = in.remaining();
        if (eof && (state != State.START_LINE || scan > 0)) {
            throw truncated();
        }
        return Event.NEED_DATA;
    }

    private Event needDataForBody() throws HttpParseException {
        if (eof) {
            throw truncated();
        }
        return Event.NEED_DATA;
    }

    private static HttpParseException truncated() {
        return new HttpParseException(400, "the connection closed in the middle of a message");
    }

    private HttpParseException tooLarge(boolean trailer) {
        return new HttpParseException(431, "the " + (trailer ? "trailer" : "header") + " section is larger than "
                + limits.maxHeaderBytes() + " bytes");
    }

    private Event bodySlice(ByteBuffer in, int n) {
        body = in.slice(in.position(), n);
        in.position(in.position() + n);
        return Event.BODY;
    }

    private void consume(ByteBuffer in, int newPosition) {
        in.position(newPosition);
        scan = 0;
    }

    /** Finds LF in a[from + scan, end), or -1. */
    private int findLf(byte[] a, int from, int end) {
        for (int i = from + scan; i < end; i++) {
            if (a[i] == LF) {
                return i;
            }
        }
        return -1;
    }

    /** {@return the end of the line's content (its CR), checking that LF is preceded by CR} */
    private static int lineEnd(byte[] a, int pos, int lf, String where) throws HttpParseException {
        if (lf == pos || a[lf - 1] != CR) {
            throw new HttpParseException(400, "a bare LF ends a line of the " + where + " (CRLF is required)");
        }
        return lf - 1;
    }

    // ------------------------------------------------------------------ start lines

    private void beginMessage() {
        method = null;
        target = null;
        status = 0;
        reason = null;
        version = null;
        headers = new Headers();
        sectionBytes = 0;
        fieldCount = 0;
        hostCount = 0;
        host = null;
        contentLengthCount = 0;
        contentLengthValue = null;
        transferEncoding = null;
        connectionClose = false;
        connectionKeepAlive = false;
        connectionUpgrade = false;
        hasUpgradeField = false;
        expect = null;
        head = null;
        remaining = 0;
        bodyTotal = 0;
        bodyLimitChecked = false;
        body = null;
        trailers = null;
        leadingEmptyLineBytes = 0;
        if (requests) {
            bodyLimit = limits.maxBody();
        }
    }

    private void parseRequestLine(byte[] a, int s, int e) throws HttpParseException {
        int i = s;
        while (i < e && Ascii.isTcharByte(a[i])) {
            i++;
        }
        if (i == s || i == e || a[i] != SP) {
            throw new HttpParseException(400, i == s ? "the request line has no method"
                    : "the method is not a token, or is not followed by one space");
        }
        method = internMethod(a, s, i);
        int t = ++i;
        while (i < e && Ascii.isTargetByte(a[i])) {
            i++;
        }
        if (i == t) {
            throw new HttpParseException(400, "the request line has no target (or more than one space)");
        }
        if (i == e || a[i] != SP) {
            throw new HttpParseException(400, i == e ? "the request line has no HTTP version"
                    : "the request target has a byte that is not a visible ASCII character");
        }
        checkTargetForm(a, t, i);
        target = lastTarget = reuse(lastTarget, a, t, i);
        version = parseVersion(a, i + 1, e, true);
    }

    private void checkTargetForm(byte[] a, int s, int e) throws HttpParseException {
        byte first = a[s];
        if (first == '/') {
            return; // origin-form
        }
        if (first == '*' && e - s == 1) {
            if (method != HttpMethod.OPTIONS) {
                throw new HttpParseException(400, "the asterisk-form target is for OPTIONS only");
            }
            return;
        }
        if (method == HttpMethod.CONNECT) {
            return; // authority-form: host:port, checked by whoever implements CONNECT
        }
        // absolute-form: scheme "://" ...
        int i = s;
        if (!isAlpha(a[i])) {
            throw new HttpParseException(400, "the request target is not in origin, absolute or asterisk form");
        }
        while (i < e && (isAlpha(a[i]) || (a[i] >= '0' && a[i] <= '9') || a[i] == '+' || a[i] == '-' || a[i] == '.')) {
            i++;
        }
        if (e - i < 3 || a[i] != ':' || a[i + 1] != '/' || a[i + 2] != '/') {
            throw new HttpParseException(400, "the request target is not in origin, absolute or asterisk form");
        }
    }

    private static boolean isAlpha(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    private HttpVersion parseVersion(byte[] a, int s, int e, boolean request) throws HttpParseException {
        if (e - s != 8 || a[s] != 'H' || a[s + 1] != 'T' || a[s + 2] != 'T' || a[s + 3] != 'P' || a[s + 4] != '/'
                || !isDigit(a[s + 5]) || a[s + 6] != '.' || !isDigit(a[s + 7])) {
            throw new HttpParseException(400, "malformed HTTP version in the " + (request ? "request" : "status")
                    + " line");
        }
        if (a[s + 5] == '1' && a[s + 7] == '1') {
            return HttpVersion.HTTP_1_1;
        }
        if (a[s + 5] == '1' && a[s + 7] == '0') {
            return HttpVersion.HTTP_1_0;
        }
        throw new HttpParseException(505, "HTTP version " + (char) a[s + 5] + "." + (char) a[s + 7]
                + " is not supported (only 1.0 and 1.1)");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private void parseStatusLine(byte[] a, int s, int e) throws HttpParseException {
        if (e - s < 12 || a[s + 8] != SP) {
            throw new HttpParseException(400, "malformed status line");
        }
        version = parseVersion(a, s, s + 8, false);
        int c = s + 9;
        if (!isDigit(a[c]) || !isDigit(a[c + 1]) || !isDigit(a[c + 2]) || a[c] == '0') {
            throw new HttpParseException(400, "malformed status code");
        }
        status = (a[c] - '0') * 100 + (a[c + 1] - '0') * 10 + (a[c + 2] - '0');
        int r = c + 3;
        if (r == e) {
            reason = "";
            return;
        }
        if (a[r] != SP) {
            throw new HttpParseException(400, "malformed status line: no space after the status code");
        }
        for (int i = r + 1; i < e; i++) {
            if (!Ascii.isFieldByte(a[i])) {
                throw new HttpParseException(400, "a control character in the reason phrase");
            }
        }
        reason = new String(a, r + 1, e - r - 1, ISO_8859_1);
    }

    /**
     * A string equal to a[s, e): the previous one when the bytes are the same. A keep-alive
     * client sends the same target and the same field values (Host, User-Agent, Accept...) in
     * request after request, so they cost no allocation, and their hash codes stay computed.
     */
    private static String reuse(String previous, byte[] a, int s, int e) {
        int n = e - s;
        if (previous != null && previous.length() == n) {
            int i = 0;
            while (i < n && previous.charAt(i) == (char) (a[s + i] & 0xff)) {
                i++;
            }
            if (i == n) {
                return previous;
            }
        }
        return new String(a, s, n, ISO_8859_1);
    }

    private static HttpMethod internMethod(byte[] a, int s, int e) {
        int n = e - s;
        if (n == 3 && a[s] == 'G' && a[s + 1] == 'E' && a[s + 2] == 'T') {
            return HttpMethod.GET;
        }
        if (n == 4 && a[s] == 'P' && a[s + 1] == 'O' && a[s + 2] == 'S' && a[s + 3] == 'T') {
            return HttpMethod.POST;
        }
        return HttpMethod.of(new String(a, s, n, ISO_8859_1));
    }

    // ------------------------------------------------------------------ fields

    private void parseField(byte[] a, int s, int e, boolean trailer) throws HttpParseException {
        if (a[s] == SP || a[s] == HT) {
            throw new HttpParseException(400, "obsolete line folding (a field line starting with whitespace)");
        }
        int i = s;
        while (i < e && Ascii.isTcharByte(a[i])) {
            i++;
        }
        if (i == e) {
            throw new HttpParseException(400, "a field line without ':'");
        }
        if (a[i] != ':') {
            throw new HttpParseException(400, a[i] == SP || a[i] == HT ? "whitespace between a field name and ':'"
                    : "a field name that is not a token (byte 0x" + Integer.toHexString(a[i] & 0xff) + ")");
        }
        if (i == s) {
            throw new HttpParseException(400, "an empty field name");
        }
        int colon = i;
        int vs = colon + 1;
        while (vs < e && (a[vs] == SP || a[vs] == HT)) {
            vs++;
        }
        int ve = e;
        while (ve > vs && (a[ve - 1] == SP || a[ve - 1] == HT)) {
            ve--;
        }
        for (int j = vs; j < ve; j++) {
            if (!Ascii.isFieldByte(a[j])) {
                throw new HttpParseException(400, (a[j] == CR ? "a bare CR" : a[j] == 0 ? "a NUL byte"
                        : "a control byte 0x" + Integer.toHexString(a[j] & 0xff)) + " in a field value");
            }
        }
        int kind = trailer ? OTHER : classify(a, s, colon);
        int slot = !trailer && fieldCount <= VALUE_CACHE ? fieldCount - 1 : -1;
        String value;
        if (slot >= 0) {
            value = lastValues[slot] = reuse(lastValues[slot], a, vs, ve);
        } else {
            value = new String(a, vs, ve - vs, ISO_8859_1);
        }
        String name = HeaderNames.intern(a, s, colon);
        Ascii.append(trailer ? trailers : headers, name, value);
        switch (kind) {
            case HOST -> {
                hostCount++;
                host = value;
            }
            case CONTENT_LENGTH -> {
                contentLengthCount++;
                contentLengthValue = value;
            }
            case TRANSFER_ENCODING -> {
                if (transferEncoding == null) {
                    transferEncoding = new StringBuilder(value);
                } else {
                    transferEncoding.append(',').append(value);
                }
            }
            case CONNECTION -> {
                connectionClose |= HeaderNames.listContains(value, "close");
                connectionKeepAlive |= HeaderNames.listContains(value, "keep-alive");
                connectionUpgrade |= HeaderNames.listContains(value, "upgrade");
            }
            case UPGRADE -> hasUpgradeField = true;
            case EXPECT -> expect = expect == null ? value : expect + "," + value;
            default -> {
            }
        }
    }

    static final int OTHER = 0;
    static final int HOST = 1;
    static final int CONTENT_LENGTH = 2;
    static final int TRANSFER_ENCODING = 3;
    static final int CONNECTION = 4;
    static final int UPGRADE = 5;
    static final int EXPECT = 6;

    private static int classify(byte[] a, int s, int e) {
        return switch (e - s) {
            case 4 -> HeaderNames.equalsLower(a, s, "host") ? HOST : OTHER;
            case 6 -> HeaderNames.equalsLower(a, s, "expect") ? EXPECT : OTHER;
            case 7 -> HeaderNames.equalsLower(a, s, "upgrade") ? UPGRADE : OTHER;
            case 10 -> HeaderNames.equalsLower(a, s, "connection") ? CONNECTION : OTHER;
            case 14 -> HeaderNames.equalsLower(a, s, "content-length") ? CONTENT_LENGTH : OTHER;
            case 17 -> HeaderNames.equalsLower(a, s, "transfer-encoding") ? TRANSFER_ENCODING : OTHER;
            default -> OTHER;
        };
    }

    // ------------------------------------------------------------------ framing

    private Event finishHead() throws HttpParseException {
        headers.freeze();
        boolean chunked = false;
        long length;
        if (requests && version == HttpVersion.HTTP_1_1 && hostCount == 0) {
            throw new HttpParseException(400, "an HTTP/1.1 request without Host");
        }
        if (requests && hostCount > 1) {
            throw new HttpParseException(400, "more than one Host field");
        }
        if (requests && host != null) {
            checkHost(host);
        }
        boolean noBody = !requests && (noBodyExpected || status < 200 || status == 204 || status == 304);
        if (transferEncoding != null) {
            if (contentLengthCount > 0) {
                throw new HttpParseException(400, "both Transfer-Encoding and Content-Length");
            }
            if (version == HttpVersion.HTTP_1_0 && requests) {
                throw new HttpParseException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            chunked = checkTransferEncoding(transferEncoding.toString());
            length = -1;
        } else if (contentLengthCount > 0) {
            if (contentLengthCount > 1) {
                throw new HttpParseException(400, "more than one Content-Length field");
            }
            length = parseContentLength(contentLengthValue);
        } else {
            length = requests ? 0 : -1;
        }
        boolean keepAlive = version == HttpVersion.HTTP_1_1 ? !connectionClose : connectionKeepAlive && !connectionClose;
        boolean untilEof = !requests && !chunked && length < 0;
        if (noBody) {
            length = 0;
            chunked = false;
            untilEof = false;
        }
        if (untilEof) {
            keepAlive = false;
        }
        boolean expectContinue = false;
        boolean unknownExpectation = false;
        if (requests && expect != null && version == HttpVersion.HTTP_1_1) {
            if (expect.strip().equalsIgnoreCase("100-continue")) {
                expectContinue = true;
            } else {
                unknownExpectation = true;
            }
        }
        boolean upgrade = requests ? connectionUpgrade && hasUpgradeField : status == 101;
        head = new MessageHead(method, target, status, reason, version, headers, length, chunked, keepAlive,
                expectContinue, unknownExpectation, upgrade);
        if (!requests && status >= 100 && status < 200) {
            if (status == 101) {
                state = State.UPGRADED;
            } else {
                state = State.START_LINE; // an interim response: the final one follows
            }
            return Event.HEAD;
        }
        noBodyExpected = false;
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (untilEof) {
            state = State.UNTIL_EOF;
        } else {
            remaining = length;
            state = length == 0 ? State.END_PENDING : State.BODY_LENGTH;
        }
        return Event.HEAD;
    }

    /** {@return whether the codings end in chunked}; errors for what RFC 9112 §6.1 forbids. */
    private boolean checkTransferEncoding(String value) throws HttpParseException {
        String[] parts = value.split(",", -1);
        int chunkedCount = 0;
        int codings = 0;
        boolean lastChunked = false;
        boolean other = false;
        for (String raw : parts) {
            String c = raw.strip();
            if (c.isEmpty()) {
                continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            }
            codings++;
            int semi = c.indexOf(';');
            String name = (semi < 0 ? c : c.substring(0, semi)).strip();
            if (!Ascii.isToken(name)) {
                throw new HttpParseException(400, "a malformed transfer coding: '" + c + "'");
            }
            lastChunked = name.equalsIgnoreCase("chunked");
            if (lastChunked) {
                if (semi >= 0) {
                    throw new HttpParseException(400, "the chunked transfer coding takes no parameters");
                }
                chunkedCount++;
            } else {
                other = true;
            }
        }
        if (codings == 0) {
            throw new HttpParseException(400, "an empty Transfer-Encoding");
        }
        if (chunkedCount > 1) {
            throw new HttpParseException(400, "chunked applied more than once in Transfer-Encoding");
        }
        if (!lastChunked) {
            if (requests) {
                throw new HttpParseException(400, "the last transfer coding of a request is not chunked");
            }
            return false; // a response: read until the connection closes
        }
        if (other && requests) {
            throw new HttpParseException(501, "a transfer coding other than chunked is not implemented: '"
                    + value + "'");
        }
        return true;
    }

    private static long parseContentLength(String v) throws HttpParseException {
        int n = v.length();
        if (n == 0) {
            throw new HttpParseException(400, "an empty Content-Length");
        }
        if (n > 18) {
            boolean digits = true;
            for (int i = 0; i < n; i++) {
                digits &= v.charAt(i) >= '0' && v.charAt(i) <= '9';
            }
            throw new HttpParseException(400, digits ? "a Content-Length too large" : "a Content-Length that is not "
                    + "a number of digits");
        }
        long x = 0;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpParseException(400, "a Content-Length that is not a number of digits: '" + v + "'");
            }
            x = x * 10 + (c - '0');
        }
        return x;
    }

    /** uri-host [ ":" port ]: reg-name / IPv4 / IP-literal characters only (RFC 3986 §3.2.2). */
    private static final boolean[] HOST_CHAR = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) {
            HOST_CHAR[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:[]%".indexOf(c) >= 0;
        }
    }

    private static void checkHost(String host) throws HttpParseException {
        for (int i = 0, n = host.length(); i < n; i++) {
            char c = host.charAt(i);
            if (c >= 128 || !HOST_CHAR[c]) {
                throw new HttpParseException(400, "an invalid Host: '" + host + "'");
            }
        }
    }

    private long parseChunkSize(byte[] a, int s, int e) throws HttpParseException {
        int i = s;
        long size = 0;
        while (i < e) {
            int h = Ascii.hexValue(a[i]);
            if (h < 0) {
                break;
            }
            if (i - s == 16) {
                throw new HttpParseException(400, "a chunk size of more than 16 hex digits");
            }
            size = (size << 4) | h;
            i++;
        }
        if (i == s) {
            throw new HttpParseException(400, "a chunk-size line without a hex size");
        }
        if (size < 0) {
            throw new HttpParseException(400, "a chunk size that overflows");
        }
        if (i < e) {
            if (a[i] != ';') {
                throw new HttpParseException(400, "an invalid byte after a chunk size");
            }
            for (int j = i + 1; j < e; j++) {
                byte b = a[j];
                if (b != HT && (b < 0x20 || b == 0x7f)) {
                    throw new HttpParseException(400, "a control byte in a chunk extension");
                }
            }
        }
        return size;
    }
}
