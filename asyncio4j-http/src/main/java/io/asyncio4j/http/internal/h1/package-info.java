/**
 * The HTTP/1.1 codec (RFC 9112) with no I/O of its own: {@code H1Parser} pulls request or
 * response events from the caller's buffers, {@code H1Encoder} writes heads and chunk framing.
 * Not exported.
 */
package io.asyncio4j.http.internal.h1;
