/**
 * The content codings that come from optional libraries (brotli through brotli4j, zstd through
 * zstd-jni): found on first use, so that nothing fails when they are missing. Not exported.
 */
package io.asyncio4j.http.internal.compress;
