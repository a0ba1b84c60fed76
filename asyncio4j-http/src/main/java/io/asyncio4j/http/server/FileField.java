package io.asyncio4j.http.server;

import io.asyncio4j.http.Headers;

/**
 * A file sent in a {@code multipart/form-data} form, read into memory by
 * {@link Request#post()} (aiohttp's {@code FileField}); for large files read the parts as they
 * stream with {@link Request#multipart()}.
 *
 * @param name the form field's name
 * @param filename the file name the client gave
 * @param contentType the part's content type
 * @param headers the part's headers
 * @param content the file's bytes
 */
public record FileField(String name, String filename, String contentType, Headers headers, byte[] content) {
}
