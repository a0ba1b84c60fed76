package io.asyncio4j.http.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * HTTP Basic credentials (RFC 7617): aiohttp's {@code BasicAuth}. Sent as
 * {@code Authorization: Basic ...} to the request's origin only, never to another origin a
 * redirect leads to.
 *
 * @param login the user name (no {@code :})
 * @param password the password
 */
public record BasicAuth(String login, String password) {
    /** Checks the values. */
    public BasicAuth {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(password, "password");
        if (login.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a Basic login may not contain ':'");
        }
    }

    /** {@return the {@code Authorization} field's value} */
    public String encode() {
        return "Basic " + Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Hides the password. */
    @Override
    public String toString() {
        return "BasicAuth[login=" + login + ", password=***]";
    }
}
