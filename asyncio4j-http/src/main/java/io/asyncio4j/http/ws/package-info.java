/**
 * WebSockets (RFC 6455, with RFC 7692's permessage-deflate), server and client: aiohttp's
 * {@code WebSocketResponse} and {@code ws_connect}. {@link io.asyncio4j.http.ws.WebSocket} is one
 * connection on either side; {@link io.asyncio4j.http.ws.WebSocketResponse} upgrades a server
 * request; {@link io.asyncio4j.http.ws.WebSocket#connect(String, WsOptions)} opens a client.
 */
package io.asyncio4j.http.ws;
