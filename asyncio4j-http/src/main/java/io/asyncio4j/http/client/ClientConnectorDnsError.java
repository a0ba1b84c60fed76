package io.asyncio4j.http.client;

import java.net.URI;

/** The host name has no address: aiohttp's {@code ClientConnectorDNSError}. */
public class ClientConnectorDnsError extends ClientConnectorError {
    private static final long serialVersionUID = 1L;

    /**
     * Makes an error.
     *
     * @param url the request's URL
     * @param host the host name
     * @param port the port
     * @param cause the resolver's error
     */
    public ClientConnectorDnsError(URI url, String host, int port, Throwable cause) {
        super(url, host, port, "cannot resolve " + host, cause);
    }
}
