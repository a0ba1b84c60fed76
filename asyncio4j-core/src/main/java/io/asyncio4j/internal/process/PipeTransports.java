package io.asyncio4j.internal.process;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.net.WriteFlowControl;
import io.asyncio4j.transport.ExtraInfo;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The transports of a child's pipes, asyncio's {@code _UnixReadPipeTransport} and
 * {@code _UnixWritePipeTransport}: a read-only one for stdout and stderr, a write-only one for
 * stdin, each over a {@link Pipes} end. They report to a {@link Protocol} (by default the
 * subprocess transport's adapter); {@code connectionLost} is called once, from a loop turn of its
 * own, never from inside {@code close()}. Loop thread only.
 */
final class PipeTransports {
    private PipeTransports() {
    }

    private static UnsupportedOperationException readOnly(String what) {
        return new UnsupportedOperationException(what + "() on a read pipe: a child's stdout and stderr are read-only");
    }

    private static UnsupportedOperationException writeOnly(String what) {
        return new UnsupportedOperationException(what + "() on a write pipe: a child's stdin is write-only");
    }

    /** Shared: the protocol, the closing state, the one connectionLost. */
    private abstract static class Base implements Transport {
        final EventLoopImpl loop;
        final int fd;
        Protocol protocol;
        boolean closing;
        private boolean lost;

        Base(EventLoopImpl loop, int fd, Protocol protocol) {
            this.loop = loop;
            this.fd = fd;
            this.protocol = protocol;
        }

        /** Schedules connectionLost for a later loop turn; once. */
        final void lose(Throwable error) {
            closing = true;
            if (lost) {
                return;
            }
            lost = true;
            Protocol p = protocol;
            loop.callSoon(() -> p.connectionLost(error));
        }

        final void report(String what, Throwable e) {
            loop.callExceptionHandler(new ExceptionContext(what, e, null, null, java.util.List.of()));
        }

        @Override
        public boolean isClosing() {
            return closing;
        }

        @Override
        public <T> T getExtraInfo(ExtraInfo<T> key) {
            return null; // a pipe has no peer, no socket and no TLS
        }

        @Override
        public Protocol getProtocol() {
            return protocol;
        }

        @Override
        public void setProtocol(Protocol protocol) {
            this.protocol = java.util.Objects.requireNonNull(protocol, "protocol");
        }
    }

    /** The transport of stdout (fd 1) or stderr (fd 2). */
    static final class Read extends Base implements Pipes.ReadListener {
        private final Pipes.ReadPipe pipe;
        private boolean paused;

        Read(EventLoopImpl loop, int fd, Pipes.ReadPipe pipe, Protocol protocol) {
            super(loop, fd, protocol);
            this.pipe = pipe;
        }

        void start() {
            pipe.start(this);
        }

        @Override
        public void data(ByteBuffer data) {
            try {
                protocol.dataReceived(data);
            } catch (Throwable e) {
                report("Fatal error: protocol.dataReceived() call failed for the pipe of fd " + fd, e);
                pipe.close();
                lose(e);
            }
        }

        @Override
        public void eof() {
            try {
                protocol.eofReceived();
            } catch (Throwable e) {
                report("Fatal error: protocol.eofReceived() call failed for the pipe of fd " + fd, e);
            }
            lose(null);
        }

        @Override
        public void failed(IOException error) {
            lose(error);
        }

        @Override
        public void close() {
            if (!closing) {
                pipe.close();
                lose(null);
            }
        }

        @Override
        public void abort() {
            close();
        }

        @Override
        public void pauseReading() {
            if (!closing && !paused) {
                paused = true;
                pipe.pause();
            }
        }

        @Override
        public void resumeReading() {
            if (!closing && paused) {
                paused = false;
                pipe.resume();
            }
        }

        @Override
        public boolean isReading() {
            return !closing && !paused;
        }

        @Override
        public void write(ByteBuffer data) {
            throw readOnly("write");
        }

        @Override
        public void writeEof() {
            throw readOnly("writeEof");
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public long getWriteBufferSize() {
            return 0;
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            throw readOnly("setWriteBufferLimits");
        }

        @Override
        public int getWriteBufferHigh() {
            return 0;
        }

        @Override
        public int getWriteBufferLow() {
            return 0;
        }

        @Override
        public String toString() {
            return "<ReadPipeTransport fd=" + fd + (closing ? " closed" : paused ? " paused" : "") + ">";
        }
    }

    /** The transport of stdin (fd 0). */
    static final class Write extends Base implements Pipes.WriteListener {
        private final Pipes.WritePipe pipe;
        private final WriteFlowControl flow;
        private boolean eofWritten;
        private boolean failed;

        Write(EventLoopImpl loop, Pipes.WritePipe pipe, Protocol protocol) {
            super(loop, 0, protocol);
            this.pipe = pipe;
            this.flow = new WriteFlowControl(loop, () -> this.protocol.pauseWriting(), () -> this.protocol.resumeWriting());
        }

        void start() {
            pipe.start(this);
        }

        @Override
        public void write(ByteBuffer data) {
            if (failed) {
                data.position(data.limit()); // dropped after a failure, as asyncio drops them: drain() reports it
                return;
            }
            if (eofWritten) {
                throw new IllegalStateException("Cannot call write() after writeEof()");
            }
            if (closing) {
                if (data.hasRemaining()) {
                    throw new IllegalStateException("write() on a closed pipe transport");
                }
                return;
            }
            pipe.write(data);
            flow.maybePause(pipe.buffered());
        }

        @Override
        public void drained(long buffered) {
            flow.maybeResume(buffered);
        }

        @Override
        public void failed(IOException error) {
            failed = true;
            flow.maybeResume(0);
            lose(error);
        }

        @Override
        public void closed() {
            lose(null);
        }

        @Override
        public void writeEof() {
            if (!closing) {
                eofWritten = true;
                closing = true;
                pipe.close();
            }
        }

        @Override
        public boolean canWriteEof() {
            return true;
        }

        @Override
        public void close() {
            if (!closing) {
                closing = true;
                pipe.close(); // after the buffer is written, as asyncio's close()
            }
        }

        @Override
        public void abort() {
            closing = true;
            pipe.abort(); // idempotent; drops what close() was still flushing
        }

        @Override
        public long getWriteBufferSize() {
            return pipe.buffered();
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            flow.setLimits(high, low, pipe.buffered());
        }

        @Override
        public int getWriteBufferHigh() {
            return flow.high();
        }

        @Override
        public int getWriteBufferLow() {
            return flow.low();
        }

        @Override
        public void pauseReading() {
            throw writeOnly("pauseReading");
        }

        @Override
        public void resumeReading() {
            throw writeOnly("resumeReading");
        }

        @Override
        public boolean isReading() {
            return false;
        }

        @Override
        public String toString() {
            return "<WritePipeTransport fd=0" + (closing ? " closing" : "") + " buffered=" + pipe.buffered() + ">";
        }
    }
}
