/**
 * Child processes on the event loop: asyncio's {@code asyncio.subprocess}.
 * {@link io.asyncio4j.process.Subprocesses} is the front door; {@link io.asyncio4j.process.Subprocess}
 * has the streams and the exit of a child; {@link io.asyncio4j.process.SubprocessProtocol} and
 * {@link io.asyncio4j.process.SubprocessTransport} are the low-level layer.
 */
package io.asyncio4j.process;
