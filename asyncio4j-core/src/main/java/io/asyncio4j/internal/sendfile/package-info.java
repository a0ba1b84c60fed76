/** asyncio's {@code loop.sendfile}: zero-copy on plain sockets, read and write otherwise. Not exported. */
package io.asyncio4j.internal.sendfile;
