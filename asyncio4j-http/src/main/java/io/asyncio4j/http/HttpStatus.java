package io.asyncio4j.http;

/**
 * A response status (RFC 9110 §15): a three-digit code and its reason phrase. The registered
 * codes are constants; {@link #of(int)} returns them, or a status with an empty reason for
 * another code.
 *
 * @param code the code, 100 to 999
 * @param reason the reason phrase (may be empty)
 */
public record HttpStatus(int code, String reason) {
    /** 100 Continue. */
    public static final HttpStatus CONTINUE = new HttpStatus(100, "Continue");
    /** 101 Switching Protocols. */
    public static final HttpStatus SWITCHING_PROTOCOLS = new HttpStatus(101, "Switching Protocols");
    /** 103 Early Hints. */
    public static final HttpStatus EARLY_HINTS = new HttpStatus(103, "Early Hints");
    /** 200 OK. */
    public static final HttpStatus OK = new HttpStatus(200, "OK");
    /** 201 Created. */
    public static final HttpStatus CREATED = new HttpStatus(201, "Created");
    /** 202 Accepted. */
    public static final HttpStatus ACCEPTED = new HttpStatus(202, "Accepted");
    /** 203 Non-Authoritative Information. */
    public static final HttpStatus NON_AUTHORITATIVE_INFORMATION = new HttpStatus(203, "Non-Authoritative Information");
    /** 204 No Content. */
    public static final HttpStatus NO_CONTENT = new HttpStatus(204, "No Content");
    /** 205 Reset Content. */
    public static final HttpStatus RESET_CONTENT = new HttpStatus(205, "Reset Content");
    /** 206 Partial Content. */
    public static final HttpStatus PARTIAL_CONTENT = new HttpStatus(206, "Partial Content");
    /** 300 Multiple Choices. */
    public static final HttpStatus MULTIPLE_CHOICES = new HttpStatus(300, "Multiple Choices");
    /** 301 Moved Permanently. */
    public static final HttpStatus MOVED_PERMANENTLY = new HttpStatus(301, "Moved Permanently");
    /** 302 Found. */
    public static final HttpStatus FOUND = new HttpStatus(302, "Found");
    /** 303 See Other. */
    public static final HttpStatus SEE_OTHER = new HttpStatus(303, "See Other");
    /** 304 Not Modified. */
    public static final HttpStatus NOT_MODIFIED = new HttpStatus(304, "Not Modified");
    /** 307 Temporary Redirect. */
    public static final HttpStatus TEMPORARY_REDIRECT = new HttpStatus(307, "Temporary Redirect");
    /** 308 Permanent Redirect. */
    public static final HttpStatus PERMANENT_REDIRECT = new HttpStatus(308, "Permanent Redirect");
    /** 400 Bad Request. */
    public static final HttpStatus BAD_REQUEST = new HttpStatus(400, "Bad Request");
    /** 401 Unauthorized. */
    public static final HttpStatus UNAUTHORIZED = new HttpStatus(401, "Unauthorized");
    /** 402 Payment Required. */
    public static final HttpStatus PAYMENT_REQUIRED = new HttpStatus(402, "Payment Required");
    /** 403 Forbidden. */
    public static final HttpStatus FORBIDDEN = new HttpStatus(403, "Forbidden");
    /** 404 Not Found. */
    public static final HttpStatus NOT_FOUND = new HttpStatus(404, "Not Found");
    /** 405 Method Not Allowed. */
    public static final HttpStatus METHOD_NOT_ALLOWED = new HttpStatus(405, "Method Not Allowed");
    /** 406 Not Acceptable. */
    public static final HttpStatus NOT_ACCEPTABLE = new HttpStatus(406, "Not Acceptable");
    /** 407 Proxy Authentication Required. */
    public static final HttpStatus PROXY_AUTHENTICATION_REQUIRED = new HttpStatus(407, "Proxy Authentication Required");
    /** 408 Request Timeout. */
    public static final HttpStatus REQUEST_TIMEOUT = new HttpStatus(408, "Request Timeout");
    /** 409 Conflict. */
    public static final HttpStatus CONFLICT = new HttpStatus(409, "Conflict");
    /** 410 Gone. */
    public static final HttpStatus GONE = new HttpStatus(410, "Gone");
    /** 411 Length Required. */
    public static final HttpStatus LENGTH_REQUIRED = new HttpStatus(411, "Length Required");
    /** 412 Precondition Failed. */
    public static final HttpStatus PRECONDITION_FAILED = new HttpStatus(412, "Precondition Failed");
    /** 413 Content Too Large. */
    public static final HttpStatus CONTENT_TOO_LARGE = new HttpStatus(413, "Content Too Large");
    /** 414 URI Too Long. */
    public static final HttpStatus URI_TOO_LONG = new HttpStatus(414, "URI Too Long");
    /** 415 Unsupported Media Type. */
    public static final HttpStatus UNSUPPORTED_MEDIA_TYPE = new HttpStatus(415, "Unsupported Media Type");
    /** 416 Range Not Satisfiable. */
    public static final HttpStatus RANGE_NOT_SATISFIABLE = new HttpStatus(416, "Range Not Satisfiable");
    /** 417 Expectation Failed. */
    public static final HttpStatus EXPECTATION_FAILED = new HttpStatus(417, "Expectation Failed");
    /** 421 Misdirected Request. */
    public static final HttpStatus MISDIRECTED_REQUEST = new HttpStatus(421, "Misdirected Request");
    /** 422 Unprocessable Content. */
    public static final HttpStatus UNPROCESSABLE_CONTENT = new HttpStatus(422, "Unprocessable Content");
    /** 425 Too Early. */
    public static final HttpStatus TOO_EARLY = new HttpStatus(425, "Too Early");
    /** 426 Upgrade Required. */
    public static final HttpStatus UPGRADE_REQUIRED = new HttpStatus(426, "Upgrade Required");
    /** 428 Precondition Required. */
    public static final HttpStatus PRECONDITION_REQUIRED = new HttpStatus(428, "Precondition Required");
    /** 429 Too Many Requests. */
    public static final HttpStatus TOO_MANY_REQUESTS = new HttpStatus(429, "Too Many Requests");
    /** 431 Request Header Fields Too Large. */
    public static final HttpStatus REQUEST_HEADER_FIELDS_TOO_LARGE = new HttpStatus(431, "Request Header Fields Too Large");
    /** 451 Unavailable For Legal Reasons. */
    public static final HttpStatus UNAVAILABLE_FOR_LEGAL_REASONS = new HttpStatus(451, "Unavailable For Legal Reasons");
    /** 500 Internal Server Error. */
    public static final HttpStatus INTERNAL_SERVER_ERROR = new HttpStatus(500, "Internal Server Error");
    /** 501 Not Implemented. */
    public static final HttpStatus NOT_IMPLEMENTED = new HttpStatus(501, "Not Implemented");
    /** 502 Bad Gateway. */
    public static final HttpStatus BAD_GATEWAY = new HttpStatus(502, "Bad Gateway");
    /** 503 Service Unavailable. */
    public static final HttpStatus SERVICE_UNAVAILABLE = new HttpStatus(503, "Service Unavailable");
    /** 504 Gateway Timeout. */
    public static final HttpStatus GATEWAY_TIMEOUT = new HttpStatus(504, "Gateway Timeout");
    /** 505 HTTP Version Not Supported. */
    public static final HttpStatus HTTP_VERSION_NOT_SUPPORTED = new HttpStatus(505, "HTTP Version Not Supported");

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the code has not three digits or the reason holds a
     *     control character
     */
    public HttpStatus {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("a status code has three digits: " + code);
        }
        Headers.checkValue("reason phrase", reason);
    }

    /**
     * Returns the status of a code: a shared constant for the registered ones.
     *
     * @param code the code
     * @return the status
     * @throws IllegalArgumentException if the code has not three digits
     */
    public static HttpStatus of(int code) {
        return switch (code) {
            case 100 -> CONTINUE;
            case 101 -> SWITCHING_PROTOCOLS;
            case 103 -> EARLY_HINTS;
            case 200 -> OK;
            case 201 -> CREATED;
            case 202 -> ACCEPTED;
            case 203 -> NON_AUTHORITATIVE_INFORMATION;
            case 204 -> NO_CONTENT;
            case 205 -> RESET_CONTENT;
            case 206 -> PARTIAL_CONTENT;
            case 300 -> MULTIPLE_CHOICES;
            case 301 -> MOVED_PERMANENTLY;
            case 302 -> FOUND;
            case 303 -> SEE_OTHER;
            case 304 -> NOT_MODIFIED;
            case 307 -> TEMPORARY_REDIRECT;
            case 308 -> PERMANENT_REDIRECT;
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 402 -> PAYMENT_REQUIRED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 407 -> PROXY_AUTHENTICATION_REQUIRED;
            case 408 -> REQUEST_TIMEOUT;
            case 409 -> CONFLICT;
            case 410 -> GONE;
            case 411 -> LENGTH_REQUIRED;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> CONTENT_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 416 -> RANGE_NOT_SATISFIABLE;
            case 417 -> EXPECTATION_FAILED;
            case 421 -> MISDIRECTED_REQUEST;
            case 422 -> UNPROCESSABLE_CONTENT;
            case 425 -> TOO_EARLY;
            case 426 -> UPGRADE_REQUIRED;
            case 428 -> PRECONDITION_REQUIRED;
            case 429 -> TOO_MANY_REQUESTS;
            case 431 -> REQUEST_HEADER_FIELDS_TOO_LARGE;
            case 451 -> UNAVAILABLE_FOR_LEGAL_REASONS;
            case 500 -> INTERNAL_SERVER_ERROR;
            case 501 -> NOT_IMPLEMENTED;
            case 502 -> BAD_GATEWAY;
            case 503 -> SERVICE_UNAVAILABLE;
            case 504 -> GATEWAY_TIMEOUT;
            case 505 -> HTTP_VERSION_NOT_SUPPORTED;
            default -> new HttpStatus(code, "");
        };
    }

    /** {@return whether this is 1xx} */
    public boolean isInformational() {
        return code < 200;
    }

    /** {@return whether this is 2xx} */
    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    /** {@return whether this is 3xx} */
    public boolean isRedirection() {
        return code >= 300 && code < 400;
    }

    /** {@return whether this is 4xx} */
    public boolean isClientError() {
        return code >= 400 && code < 500;
    }

    /** {@return whether this is 5xx} */
    public boolean isServerError() {
        return code >= 500;
    }

    /** {@return whether a response with this status has no body (1xx, 204, 304: RFC 9112 §6.3)} */
    public boolean forbidsBody() {
        return code < 200 || code == 204 || code == 304;
    }

    @Override
    public String toString() {
        return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
    }
}
