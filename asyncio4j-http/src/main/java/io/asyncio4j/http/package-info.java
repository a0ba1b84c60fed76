/**
 * The nouns of HTTP shared by the server and the client: {@link io.asyncio4j.http.Headers},
 * {@link io.asyncio4j.http.HttpMethod}, {@link io.asyncio4j.http.HttpStatus},
 * {@link io.asyncio4j.http.HttpVersion}, {@link io.asyncio4j.http.MediaType}, and the parser's
 * {@link io.asyncio4j.http.HttpParseException}.
 */
package io.asyncio4j.http;
