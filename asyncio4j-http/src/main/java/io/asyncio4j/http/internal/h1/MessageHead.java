package io.asyncio4j.http.internal.h1;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpVersion;

/**
 * The head of a parsed message: start line, header fields and what the framing rules made of
 * them. Exactly one of {@code method} (a request) and {@code status > 0} (a response) is set.
 *
 * @param method the request's method, or {@code null} for a response
 * @param target the request target as sent, or {@code null}
 * @param status the response's status code, or 0 for a request
 * @param reason the response's reason phrase, or {@code null}
 * @param version the version
 * @param headers the fields (read-only)
 * @param contentLength the declared length, or -1 when there is none (chunked, or until close)
 * @param chunked whether the body is chunked
 * @param keepAlive whether the connection may carry another message after this one
 * @param expectContinue whether a request asks for {@code 100 Continue} before its body
 * @param unknownExpectation whether a request has an {@code Expect} the server must refuse (417)
 * @param upgrade whether the message asks for (a request) or grants (a 101) a protocol upgrade
 */
public record MessageHead(HttpMethod method, String target, int status, String reason, HttpVersion version,
                          Headers headers, long contentLength, boolean chunked, boolean keepAlive,
                          boolean expectContinue, boolean unknownExpectation, boolean upgrade) {

    /** {@return whether a body follows the head (a length above 0, or chunked, or until close)} */
    public boolean hasBody() {
        return contentLength != 0;
    }
}
