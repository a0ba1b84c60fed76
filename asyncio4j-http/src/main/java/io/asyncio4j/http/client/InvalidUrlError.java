package io.asyncio4j.http.client;

/**
 * A URL the client cannot request: not absolute (and no base URL), a scheme other than http and
 * https, no host: aiohttp's {@code InvalidURL}.
 */
public class InvalidUrlError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The URL as given. */
    private final String url;

    /**
     * Makes an error.
     *
     * @param url the URL as given
     * @param message what is wrong with it
     */
    public InvalidUrlError(String url, String message) {
        super(message + ": " + url);
        this.url = url;
    }

    /** {@return the URL as given} */
    public String url() {
        return url;
    }
}
