package io.asyncio4j.internal.process;

import io.asyncio4j.internal.loop.EventLoopImpl;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The parent's ends of a child's pipes, whatever drives them (non-blocking descriptors polled by
 * {@link ProcessPoller}, or the JDK's blocking streams and a thread each). Every method is called
 * on the loop's thread, and every listener call happens there.
 */
final class Pipes {
    private Pipes() {
    }

    /**
     * Tells the loop that another thread (the poller, a pipe's thread) will, or no longer will,
     * report on a pipe, so its deadlock detection counts the report as a wake-up to come: a task
     * reading a child's output for minutes waits on I/O, not on nothing. Loop thread.
     *
     * @param loop the pipe's loop
     * @param expecting true when a report is now awaited, false when it arrived or never will
     */
    static void expectingReport(EventLoopImpl loop, boolean expecting) {
        if (expecting) {
            loop.expectOutsideCompletion();
        } else {
            loop.outsideCompletionArrived();
        }
    }

    /** What a read pipe reports. */
    interface ReadListener {
        /**
         * Bytes arrived.
         *
         * @param data the bytes, valid during the call only
         */
        void data(ByteBuffer data);

        /** The child closed its end: no more data; the pipe is closed. */
        void eof();

        /**
         * Reading failed; the pipe is closed.
         *
         * @param error the failure
         */
        void failed(IOException error);
    }

    /** The parent's reading end of a child's standard output or error. */
    interface ReadPipe {
        /**
         * Starts reading.
         *
         * @param listener told of data and of the end
         */
        void start(ReadListener listener);

        /** Stops reading until {@link #resume()}; idempotent. */
        void pause();

        /** Resumes reading; idempotent. */
        void resume();

        /** Closes the pipe: no more listener calls. Idempotent. */
        void close();
    }

    /** What a write pipe reports. */
    interface WriteListener {
        /**
         * Buffered bytes were written.
         *
         * @param buffered the bytes still buffered
         */
        void drained(long buffered);

        /**
         * Writing failed ({@code Broken pipe} when the child closed its end); the pipe is closed
         * and its buffer dropped.
         *
         * @param error the failure
         */
        void failed(IOException error);

        /** The pipe closed after a {@link WritePipe#close()} or {@link WritePipe#abort()}. */
        void closed();
    }

    /** The parent's writing end of a child's standard input. */
    interface WritePipe {
        /**
         * Sets the listener; before the first write.
         *
         * @param listener told of progress
         */
        void start(WriteListener listener);

        /**
         * Writes bytes: what the pipe takes now, the rest buffered.
         *
         * @param data the bytes, consumed
         */
        void write(ByteBuffer data);

        /** {@return the bytes buffered, not yet written} */
        long buffered();

        /** Closes the pipe once the buffer is written (the child then reads the end). */
        void close();

        /** Closes the pipe now, dropping the buffer. */
        void abort();
    }

    /** The message of the error a write to a closed pipe gets, as the JDK words it. */
    static IOException brokenPipe() {
        return new IOException("Broken pipe");
    }
}
