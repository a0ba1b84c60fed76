/**
 * A test kit in the spirit of aiohttp's {@code aiohttp_client} fixture:
 * {@link io.asyncio4j.http.testing.TestClient#start} serves an application on a free loopback
 * port and returns a client bound to it; closing the client stops the application.
 */
package io.asyncio4j.http.testing;
