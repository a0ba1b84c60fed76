/**
 * aiohttp's {@code web} server: {@link io.asyncio4j.http.server.Application} with its
 * {@link io.asyncio4j.http.server.Router}, {@link io.asyncio4j.http.server.Handler}s and
 * {@link io.asyncio4j.http.server.Middleware}s, {@link io.asyncio4j.http.server.Request},
 * {@link io.asyncio4j.http.server.Response} and its streaming, file and event-stream kin,
 * {@link io.asyncio4j.http.server.AppRunner} and {@link io.asyncio4j.http.server.Web#runApp}.
 */
package io.asyncio4j.http.server;
