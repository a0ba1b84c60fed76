package io.asyncio4j.internal.sendfile;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.net.TcpTransport;
import io.asyncio4j.internal.ops.Await;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.transport.BufferedProtocol;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/*
 * Implementation overview
 *
 * asyncio's loop.sendfile(transport, file, offset, count). Native path (a plain TCP or Unix
 * TcpTransport): reading is paused, the write buffer is flushed, then FileChannel.transferTo
 * hands the region to the kernel (sendfile(2)) straight onto the non-blocking socket; when it
 * returns 0 the socket is full, and the task waits for writability (TcpTransport.awaitWritable).
 * The transport refuses write() meanwhile. Fallback (TLS, or any other transport): as asyncio's
 * _sendfile_fallback, the protocol is swapped for one that tracks pauseWriting/resumeWriting,
 * the file is read in 64 KiB blocks on the default executor (file reads may block) and written,
 * waiting while the transport is paused; the original protocol is restored, and told about a
 * change of the paused state, at the end. Either way the file's position ends after the bytes
 * sent, and a cancellation leaves the transport usable with the bytes sent so far.
 */

/** asyncio's loop.sendfile. */
public final class Sendfile {
    private static final int BLOCK = 64 * 1024;

    private Sendfile() {
    }

    /**
     * Sends a region of a file. Suspends; checks for cancellation.
     *
     * @param transport the transport
     * @param file the file
     * @param offset where to start
     * @param count how many bytes, or -1 for the rest of the file
     * @return how many bytes were sent (fewer than count only at the end of the file)
     * @throws IOException if reading the file or writing fails
     */
    public static long sendfile(Transport transport, FileChannel file, long offset, long count) throws IOException {
        EventLoopImpl.running();
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be non-negative: " + offset);
        }
        if (count < -1) {
            throw new IllegalArgumentException("count must be -1 or non-negative: " + count);
        }
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing");
        }
        long size = file.size();
        long end = count < 0 ? size : Math.min(size, offset + count);
        if (end <= offset) {
            file.position(offset);
            return 0;
        }
        if (transport instanceof TcpTransport tcp) {
            return nativeSendfile(tcp, file, offset, end);
        }
        return fallback(transport, file, offset, end);
    }

    private static long nativeSendfile(TcpTransport t, FileChannel file, long offset, long end) throws IOException {
        boolean resume = t.isReading();
        t.pauseReading();
        long pos = offset;
        try {
            if (t.getWriteBufferSize() > 0) {
                t.awaitWritable(); // the buffered bytes go first
            }
            t.setSendfileInProgress(true);
            while (pos < end) {
                long n = file.transferTo(pos, end - pos, t.channel());
                if (n > 0) {
                    pos += n;
                } else if (pos >= file.size()) {
                    break; // the file shrank
                } else {
                    t.awaitWritable();
                }
            }
            return pos - offset;
        } catch (IOException e) {
            t.abort(); // the socket failed mid-file: what the peer got is unusable
            throw e;
        } finally {
            t.setSendfileInProgress(false);
            file.position(pos);
            if (resume && !t.isClosing()) {
                t.resumeReading();
            }
        }
    }

    private static long fallback(Transport t, FileChannel file, long offset, long end) throws IOException {
        EventLoopImpl loop = EventLoopImpl.running();
        Protocol original = t.getProtocol();
        boolean pausedBefore = t.getWriteBufferSize() > t.getWriteBufferHigh();
        Tracker tracker = original instanceof BufferedProtocol bp ? new BufferedTracker(loop, bp, pausedBefore)
                : new Tracker(loop, original, pausedBefore);
        t.setProtocol(tracker);
        boolean resume = t.isReading();
        t.pauseReading();
        long pos = offset;
        try {
            tracker.drain();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BLOCK, end - offset));
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                long at = pos;
                int n = Await.await(loop.runInExecutor(() -> file.read(buf, at)));
                if (n <= 0) {
                    break;
                }
                buf.flip();
                t.write(buf);
                pos += n;
                tracker.drain();
            }
            return pos - offset;
        } finally {
            file.position(pos);
            t.setProtocol(original);
            tracker.restore(t);
            if (resume && !t.isClosing()) {
                t.resumeReading();
            }
        }
    }

    /** Stands in for the protocol during a fallback sendfile, as asyncio's _SendfileFallbackProtocol. */
    private static class Tracker implements Protocol {
        final EventLoopImpl loop;
        final Protocol original;
        final boolean pausedBefore;
        boolean paused;
        Throwable lost;
        boolean isLost;
        FutureImpl<Void> waiter;

        Tracker(EventLoopImpl loop, Protocol original, boolean pausedBefore) {
            this.loop = loop;
            this.original = original;
            this.pausedBefore = pausedBefore;
            this.paused = pausedBefore;
        }

        void drain() throws IOException {
            while (paused && !isLost) {
                FutureImpl<Void> w = new FutureImpl<>(loop);
                waiter = w;
                Await.await(w);
            }
            if (isLost) {
                throw lost instanceof IOException io ? io : new SocketException("Connection lost");
            }
        }

        private void wake() {
            FutureImpl<Void> w = waiter;
            if (w != null) {
                waiter = null;
                if (!w.isDone()) { // cancelled with its task: the drain loop sees the cancellation
                    w.setResult(null);
                }
            }
        }

        void restore(Transport t) {
            if (isLost) {
                return; // connectionLost went to the original already
            }
            if (pausedBefore && !paused) {
                original.resumeWriting();
            } else if (!pausedBefore && paused) {
                original.pauseWriting();
            }
        }

        @Override
        public void pauseWriting() {
            paused = true;
        }

        @Override
        public void resumeWriting() {
            paused = false;
            wake();
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            original.dataReceived(data);
        }

        @Override
        public boolean eofReceived() {
            return original.eofReceived();
        }

        @Override
        public void connectionLost(Throwable error) {
            isLost = true;
            lost = error;
            wake();
            original.connectionLost(error);
        }
    }

    /** The tracker of a buffered protocol: received bytes still go into its buffers. */
    private static final class BufferedTracker extends Tracker implements BufferedProtocol {
        BufferedTracker(EventLoopImpl loop, BufferedProtocol original, boolean pausedBefore) {
            super(loop, original, pausedBefore);
        }

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            return ((BufferedProtocol) original).getBuffer(sizeHint);
        }

        @Override
        public void bufferUpdated(int nbytes) {
            ((BufferedProtocol) original).bufferUpdated(nbytes);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            original.dataReceived(data);
        }
    }
}
