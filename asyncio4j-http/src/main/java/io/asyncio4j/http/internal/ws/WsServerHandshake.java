package io.asyncio4j.http.internal.ws;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.HttpVersion;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.http.server.Request;
import io.asyncio4j.http.ws.WsOptions;
import java.util.Base64;
import java.util.List;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): checks the request, picks the
 * subprotocol and permessage-deflate, and makes the 101's fields. A request that is not a valid
 * WebSocket handshake is refused with an {@link HttpException} whose status says why.
 */
public final class WsServerHandshake {
    private WsServerHandshake() {
    }

    /**
     * What the handshake agreed on.
     *
     * @param headers the 101's fields
     * @param protocol the subprotocol, or {@code null}
     * @param deflate permessage-deflate's parameters, or {@code null}
     */
    public record Result(Headers headers, String protocol, PerMessageDeflate.Params deflate) {
    }

    /**
     * Checks a request and answers it.
     *
     * @param r the request
     * @param options the server's options
     * @return what was agreed
     * @throws HttpException 405 for a method other than GET, 400 for a missing or malformed
     *     field, 426 for another version (with {@code Sec-WebSocket-Version: 13}), 403 for an
     *     origin not allowed
     */
    public static Result check(Request r, WsOptions options) {
        if (r.method() != HttpMethod.GET) {
            throw HttpException.methodNotAllowed(r.method(), List.of(HttpMethod.GET));
        }
        Headers h = r.headers();
        if (r.version() == HttpVersion.HTTP_1_0) {
            throw HttpException.badRequest("a WebSocket handshake needs HTTP/1.1");
        }
        if (!h.containsToken("Upgrade", "websocket")) {
            throw new HttpException(HttpStatus.BAD_REQUEST, "not a WebSocket request: no 'Upgrade: websocket'")
                    .withHeader("Connection", "close");
        }
        if (!h.containsToken("Connection", "upgrade")) {
            throw HttpException.badRequest("not a WebSocket request: no 'Connection: Upgrade'");
        }
        String version = h.get("Sec-WebSocket-Version");
        if (version == null || !version.strip().equals("13")) {
            throw new HttpException(HttpStatus.of(426), "unsupported WebSocket version " + version
                    + ": this server speaks 13 (RFC 6455)").withHeader("Sec-WebSocket-Version", "13");
        }
        String key = h.get("Sec-WebSocket-Key");
        if (key == null || !validKey(key.strip())) {
            throw HttpException.badRequest("a missing or malformed Sec-WebSocket-Key: '" + key + "'");
        }
        if (r.hasBody()) {
            throw HttpException.badRequest("a WebSocket handshake has no body");
        }
        if (options.allowedOrigins() != null) {
            String origin = h.get("Origin");
            if (origin != null && !options.allowedOrigins().contains(origin.strip())) {
                throw new HttpException(HttpStatus.FORBIDDEN, "origin not allowed: " + origin);
            }
        }
        String protocol = null;
        if (!options.protocols().isEmpty()) {
            List<String> offered = tokens(h.getAll("Sec-WebSocket-Protocol"));
            for (String p : options.protocols()) {
                if (offered.contains(p)) {
                    protocol = p;
                    break;
                }
            }
        }
        PerMessageDeflate.Params deflate = null;
        if (options.compress()) {
            deflate = PerMessageDeflate.negotiateServer(h.getAll("Sec-WebSocket-Extensions"), options.noContextTakeover());
        }
        Headers out = new Headers();
        out.add("Upgrade", "websocket");
        out.add("Connection", "Upgrade");
        out.add("Sec-WebSocket-Accept", Frames.acceptFor(key.strip()));
        if (protocol != null) {
            out.add("Sec-WebSocket-Protocol", protocol);
        }
        if (deflate != null) {
            out.add("Sec-WebSocket-Extensions", deflate.header());
        }
        out.addAll(options.headers());
        return new Result(out, protocol, deflate);
    }

    /** {@return whether a key is base64 of 16 bytes} */
    private static boolean validKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static List<String> tokens(List<String> values) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : values) {
            for (String t : v.split(",")) {
                String s = t.strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
