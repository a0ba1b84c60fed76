package io.asyncio4j.http.server;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.HttpMethod;
import io.asyncio4j.http.HttpStatus;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A response thrown instead of returned: aiohttp's {@code web.HTTPException} family
 * ({@code HTTPNotFound}, {@code HTTPFound}, ...). A handler or middleware throws it; the server
 * answers with its status, headers and body (by default {@code "404: Not Found"} as text). The
 * factories cover the usual cases; {@link #HttpException(HttpStatus, String)} any other.
 *
 * {@snippet :
 * throw HttpException.notFound();
 * throw HttpException.found("/login");                 // 302 with Location
 * throw new HttpException(HttpStatus.CONFLICT, "name taken");
 * }
 *
 * <p>It is unchecked and carries no stack trace (it is control flow, not a failure).
 */
public class HttpException extends RuntimeException {
    /** The response's status. */
    private final HttpStatus status;
    /** The response's headers. */
    private final transient Headers headers = new Headers();
    /** The response's body. */
    private final String text;

    /**
     * Makes the exception with a text body.
     *
     * @param status the status (an error or a redirection)
     * @param text the body, as {@code text/plain}; {@code null} for {@code "<code>: <reason>"}
     */
    public HttpException(HttpStatus status, String text) {
        super(status.toString() + (text != null ? ": " + text : ""), null, false, false);
        this.status = Objects.requireNonNull(status, "status");
        this.text = text != null ? text : status.code() + ": " + status.reason();
    }

    /**
     * Makes the exception with the default body.
     *
     * @param status the status
     */
    public HttpException(HttpStatus status) {
        this(status, null);
    }

    /** {@return the status} */
    public HttpStatus status() {
        return status;
    }

    /** {@return the headers sent with the response (mutable)} */
    public Headers headers() {
        return headers;
    }

    /** {@return the body text} */
    public String text() {
        return text;
    }

    /**
     * {@return this exception with a header added}
     * @param name the name
     * @param value the value
     */
    public HttpException withHeader(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /**
     * {@return the response this exception stands for}
     */
    public Response toResponse() {
        Response r = Response.text(text).setStatus(status);
        r.headers().addAll(headers);
        return r;
    }

    /**
     * {@return a 400 Bad Request}
     * @param text the body
     */
    public static HttpException badRequest(String text) {
        return new HttpException(HttpStatus.BAD_REQUEST, text);
    }

    /**
     * {@return a 401 Unauthorized asking for a scheme}
     * @param challenge the WWW-Authenticate value
     */
    public static HttpException unauthorized(String challenge) {
        return new HttpException(HttpStatus.UNAUTHORIZED).withHeader("WWW-Authenticate", challenge);
    }

    /** {@return a 403 Forbidden} */
    public static HttpException forbidden() {
        return new HttpException(HttpStatus.FORBIDDEN);
    }

    /** {@return a 404 Not Found} */
    public static HttpException notFound() {
        return new HttpException(HttpStatus.NOT_FOUND);
    }

    /**
     * {@return a 405 Method Not Allowed, with the {@code Allow} header}
     * @param method the method asked for
     * @param allowed the methods the resource has
     */
    public static HttpException methodNotAllowed(HttpMethod method, Collection<HttpMethod> allowed) {
        String allow = allowed.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        return new HttpException(HttpStatus.METHOD_NOT_ALLOWED, "405: Method Not Allowed (" + method + ")")
                .withHeader("Allow", allow);
    }

    /**
     * {@return a 409 Conflict}
     * @param text the body
     */
    public static HttpException conflict(String text) {
        return new HttpException(HttpStatus.CONFLICT, text);
    }

    /**
     * {@return a 413 Content Too Large}
     * @param limit the limit in bytes
     */
    public static HttpException contentTooLarge(long limit) {
        return new HttpException(HttpStatus.CONTENT_TOO_LARGE, "413: the body is larger than " + limit + " bytes");
    }

    /**
     * {@return a 415 Unsupported Media Type}
     * @param text the body
     */
    public static HttpException unsupportedMediaType(String text) {
        return new HttpException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, text);
    }

    /**
     * {@return a 422 Unprocessable Content}
     * @param text the body
     */
    public static HttpException unprocessable(String text) {
        return new HttpException(HttpStatus.UNPROCESSABLE_CONTENT, text);
    }

    /**
     * {@return a 301 Moved Permanently}
     * @param location where to
     */
    public static HttpException movedPermanently(String location) {
        return redirect(HttpStatus.MOVED_PERMANENTLY, location);
    }

    /**
     * {@return a 302 Found}
     * @param location where to
     */
    public static HttpException found(String location) {
        return redirect(HttpStatus.FOUND, location);
    }

    /**
     * {@return a 303 See Other}
     * @param location where to
     */
    public static HttpException seeOther(String location) {
        return redirect(HttpStatus.SEE_OTHER, location);
    }

    /**
     * {@return a 307 Temporary Redirect}
     * @param location where to
     */
    public static HttpException temporaryRedirect(String location) {
        return redirect(HttpStatus.TEMPORARY_REDIRECT, location);
    }

    /**
     * {@return a 308 Permanent Redirect}
     * @param location where to
     */
    public static HttpException permanentRedirect(String location) {
        return redirect(HttpStatus.PERMANENT_REDIRECT, location);
    }

    /**
     * {@return a redirection with a {@code Location}}
     * @param status a 3xx status
     * @param location where to
     * @throws IllegalArgumentException if the status is not a redirection
     */
    public static HttpException redirect(HttpStatus status, String location) {
        if (!status.isRedirection()) {
            throw new IllegalArgumentException("not a redirection: " + status);
        }
        return new HttpException(status).withHeader("Location", location);
    }
}
