/**
 * Files and the file system without blocking the event loop: aiofiles. {@link io.asyncio4j.file.AsyncFile}
 * is an open file (binary mode; {@link io.asyncio4j.file.AsyncTextFile} for text),
 * {@link io.asyncio4j.file.AsyncFiles} has the whole-file helpers, {@code os} and {@code os.path},
 * directory scans and walks, and temporary files.
 */
package io.asyncio4j.file;
