package io.asyncio4j.internal.process;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.posix.Posix;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Pipes on non-blocking descriptors: the poller reports readiness once per arming, the loop reads
 * or writes with a system call that never blocks, then arms the descriptor again if it wants more.
 * The loop owns each descriptor: it closes it after removing it from the poller.
 */
final class NativePipes {
    private NativePipes() {
    }

    private static IOException error(String what, int errno) {
        return new IOException(what + ": " + Posix.strerror(errno));
    }

    /** The reading end of a child's stdout or stderr. */
    static final class Read implements Pipes.ReadPipe, ProcessPoller.Ready {
        /** Reads per readiness at most, so one busy child cannot hold the loop. */
        private static final int READS_PER_TURN = 4;

        private final EventLoopImpl loop;
        private final int fd;
        private ProcessPoller.Registration reg;
        private Pipes.ReadListener listener;
        private boolean paused;
        /** Whether the poller will report a readiness: the loop counts it as a wake-up to come. */
        private boolean armed;
        private boolean closed;

        Read(EventLoopImpl loop, int fd) {
            this.loop = loop;
            this.fd = fd;
        }

        @Override
        public void start(Pipes.ReadListener l) {
            listener = l;
            // reg and armed are set before the descriptor is added: the task may yield inside the
            // call (a JDK monitor unmounts a virtual thread), and a readiness then runs first
            setArmed(true);
            reg = ProcessPoller.get().register(fd, loop, this, null, Posix.EPOLLIN);
        }

        private void arm() {
            if (!armed && !closed && !paused) {
                setArmed(true);
                ProcessPoller.get().watch(reg, Posix.EPOLLIN);
            }
        }

        private void setArmed(boolean on) {
            if (on != armed) {
                armed = on;
                Pipes.expectingReport(loop, on);
            }
        }

        @Override
        public void ready(int events) {
            setArmed(false);
            if (closed || paused) {
                return; // resume() arms again; a level-triggered check reports pending data then
            }
            ByteBuffer buf = loop.io().readBuffer();
            MemorySegment seg = MemorySegment.ofBuffer(buf);
            boolean hangup = (events & (Posix.EPOLLHUP | Posix.EPOLLERR)) != 0;
            for (int i = 0; i < READS_PER_TURN && !closed && !paused; i++) {
                long n = Posix.read(fd, seg, buf.capacity());
                if (n > 0) {
                    buf.clear().limit((int) n);
                    listener.data(buf);
                    if (n < buf.capacity() && !hangup) {
                        break; // drained: the next readiness brings more
                    }
                } else if (n == 0) {
                    close();
                    listener.eof();
                    return;
                } else {
                    int errno = Posix.errno();
                    if (errno == Posix.EINTR) {
                        continue;
                    }
                    if (errno == Posix.EAGAIN) {
                        break;
                    }
                    close();
                    listener.failed(error("read from the child's pipe", errno));
                    return;
                }
            }
            arm();
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            if (paused) {
                paused = false;
                arm();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            setArmed(false);
            if (reg != null) {
                reg.closed = true;
                ProcessPoller.get().unregister(reg);
            }
            Posix.close(fd);
        }
    }

    /** The writing end of a child's stdin. */
    static final class Write implements Pipes.WritePipe, ProcessPoller.Ready {
        private final EventLoopImpl loop;
        private final int fd;
        private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        private long buffered;
        private ProcessPoller.Registration reg;
        private Pipes.WriteListener listener;
        private boolean closing;
        private boolean closed;
        /** Whether the poller will report a readiness: the loop counts it as a wake-up to come. */
        private boolean armed;

        Write(EventLoopImpl loop, int fd) {
            this.loop = loop;
            this.fd = fd;
        }

        @Override
        public void start(Pipes.WriteListener l) {
            listener = l;
            reg = ProcessPoller.get().register(fd, loop, this, null, 0);
        }

        @Override
        public void write(ByteBuffer data) {
            if (closed) {
                data.position(data.limit()); // dropped, as asyncio drops writes after a failure
                return;
            }
            if (queue.isEmpty() && !writeSome(data)) {
                return;
            }
            if (data.hasRemaining()) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                queue.addLast(copy);
                buffered += copy.remaining();
                arm();
            }
        }

        /** Writes what the pipe takes now. {@return false if the pipe failed (and closed)} */
        private boolean writeSome(ByteBuffer data) {
            while (data.hasRemaining()) {
                long n;
                if (data.hasArray()) {
                    n = Posix.write(fd, data.array(), data.arrayOffset() + data.position(), data.remaining());
                } else {
                    n = Posix.write(fd, MemorySegment.ofBuffer(data), data.remaining());
                }
                if (n >= 0) {
                    data.position(data.position() + (int) n);
                    continue;
                }
                int errno = Posix.errno();
                if (errno == Posix.EINTR) {
                    continue;
                }
                if (errno == Posix.EAGAIN) {
                    return true;
                }
                fail(errno == Posix.EPIPE ? Pipes.brokenPipe() : error("write to the child's pipe", errno));
                return false;
            }
            return true;
        }

        private void arm() {
            if (!armed && !closed && reg != null) {
                setArmed(true);
                ProcessPoller.get().watch(reg, Posix.EPOLLOUT);
            }
        }

        private void setArmed(boolean on) {
            if (on != armed) {
                armed = on;
                Pipes.expectingReport(loop, on);
            }
        }

        @Override
        public void ready(int events) {
            setArmed(false);
            if (closed) {
                return;
            }
            while (!queue.isEmpty()) {
                ByteBuffer head = queue.peekFirst();
                int before = head.remaining();
                if (!writeSome(head)) {
                    return;
                }
                buffered -= before - head.remaining();
                if (head.hasRemaining()) {
                    arm();
                    listener.drained(buffered);
                    return;
                }
                queue.pollFirst();
            }
            listener.drained(0);
            if (closing) {
                closeNow();
            }
        }

        @Override
        public long buffered() {
            return buffered;
        }

        @Override
        public void close() {
            if (closed || closing) {
                return;
            }
            closing = true;
            if (queue.isEmpty()) {
                closeNow();
            }
        }

        @Override
        public void abort() {
            if (closed) {
                return;
            }
            queue.clear();
            buffered = 0;
            closeNow();
        }

        private void release() {
            closed = true;
            setArmed(false);
            queue.clear();
            buffered = 0;
            if (reg != null) {
                reg.closed = true;
                ProcessPoller.get().unregister(reg);
            }
            Posix.close(fd);
        }

        private void closeNow() {
            release();
            if (listener != null) {
                listener.closed();
            }
        }

        private void fail(IOException e) {
            release();
            listener.failed(e);
        }
    }
}
