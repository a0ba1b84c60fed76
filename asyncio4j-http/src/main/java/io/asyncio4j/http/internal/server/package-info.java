/**
 * The server's connections: the HTTP/1.1 protocol on the core's transports, request bodies,
 * response framing. Not exported.
 */
package io.asyncio4j.http.internal.server;
