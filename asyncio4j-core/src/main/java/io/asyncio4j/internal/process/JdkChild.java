package io.asyncio4j.internal.process;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.process.Redirect;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/*
 * Implementation overview
 *
 * The portable mechanism, used where native calls are not enabled: java.lang.ProcessBuilder. Its
 * start() blocks for about a millisecond (the JDK spawns a helper that execs the program), so it
 * runs on a file thread. A child's pipes are blocking streams, so each one gets a platform thread
 * of its own (a cached pool): a reader reads up to 64 KiB, hands the bytes to the loop with
 * callSoonThreadsafe and waits until the loop took them (one chunk in flight: the loop's pauses
 * stop it); a writer takes queued chunks and reports each one written. The exit comes from
 * Process.onExit() (the JDK's reaper thread). Limits of the JDK, documented: a death by signal N
 * reads as exit status 128 + N, and only TERM and KILL can be sent.
 */

/** A child started by {@link ProcessBuilder}, with a platform thread per pipe. */
final class JdkChild implements Child {
    private static final ExecutorService PIPE_THREADS;

    static {
        AtomicInteger count = new AtomicInteger();
        PIPE_THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "asyncio4j-process-io-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private final EventLoopImpl loop;
    private final Process process;
    private final Pipes.WritePipe stdin;
    private final Pipes.ReadPipe stdout;
    private final Pipes.ReadPipe stderr;

    JdkChild(EventLoopImpl loop, Process process, SpawnSpec spec) {
        this.loop = loop;
        this.process = process;
        this.stdin = spec.stdin() instanceof Redirect.Pipe ? new WritePipe(loop, process.getOutputStream()) : null;
        this.stdout = spec.stdout() instanceof Redirect.Pipe ? new ReadPipe(loop, process.getInputStream()) : null;
        this.stderr = spec.stderr() instanceof Redirect.Pipe ? new ReadPipe(loop, process.getErrorStream()) : null;
    }

    /**
     * Starts the process; the caller wraps it ({@link #JdkChild}) on the loop. Blocks: a spawn
     * thread.
     *
     * @param spec what to start
     * @return the process
     * @throws IOException if it cannot start
     */
    static Process start(SpawnSpec spec) throws IOException {
        return start(builder(spec), spec.program());
    }

    private static final java.util.regex.Pattern ERRNO = java.util.regex.Pattern.compile("error(?:=|: )(\\d+)");

    private static Process start(ProcessBuilder pb, String program) throws IOException {
        try {
            return pb.start();
        } catch (IOException e) {
            // the errno is in the message only: "error=2, ..." (older JDKs, vfork) or
            // "Exec failed, error: 2 (...)" (posix_spawn through jspawnhelper), also in the cause
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.io.FileNotFoundException f && f.getMessage() != null) {
                    // a redirect file: "PATH (No such file or directory)", "PATH (Permission denied)"
                    String msg = f.getMessage();
                    int paren = msg.lastIndexOf(" (");
                    String file = paren > 0 ? msg.substring(0, paren) : msg;
                    if (msg.endsWith("(No such file or directory)")) {
                        throw (IOException) new NoSuchFileException(file).initCause(e);
                    }
                    if (msg.endsWith("(Permission denied)")) {
                        throw (IOException) new AccessDeniedException(file).initCause(e);
                    }
                }
                java.util.regex.Matcher m = ERRNO.matcher(String.valueOf(t.getMessage()));
                if (m.find()) {
                    switch (m.group(1)) {
                        case "2" -> throw (IOException) new NoSuchFileException(program).initCause(e);
                        case "13" -> throw (IOException) new AccessDeniedException(program).initCause(e);
                        default -> {
                        }
                    }
                }
            }
            throw e;
        }
    }

    private static ProcessBuilder builder(SpawnSpec spec) {
        List<String> cmd = new ArrayList<>(spec.argv());
        cmd.set(0, spec.program());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(spec.env());
        if (spec.cwd() != null) {
            pb.directory(spec.cwd().toFile());
        }
        pb.redirectInput(switch (spec.stdin()) {
            case Redirect.Pipe p -> ProcessBuilder.Redirect.PIPE;
            case Redirect.Inherit i -> ProcessBuilder.Redirect.INHERIT;
            case Redirect.DevNull d -> ProcessBuilder.Redirect.from(new File(NULL_FILE));
            case Redirect.File f -> ProcessBuilder.Redirect.from(f.path().toFile());
            case Redirect.Stdout s -> throw new IllegalArgumentException("Redirect.STDOUT is for stderr only");
        });
        pb.redirectOutput(output(spec.stdout()));
        if (spec.stderr() instanceof Redirect.Stdout) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(output(spec.stderr()));
        }
        return pb;
    }

    private static final String NULL_FILE = System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null";

    private static ProcessBuilder.Redirect output(Redirect r) {
        return switch (r) {
            case Redirect.Pipe p -> ProcessBuilder.Redirect.PIPE;
            case Redirect.Inherit i -> ProcessBuilder.Redirect.INHERIT;
            case Redirect.DevNull d -> ProcessBuilder.Redirect.DISCARD;
            case Redirect.File f -> f.mode() == Redirect.FileMode.APPEND
                    ? ProcessBuilder.Redirect.appendTo(f.path().toFile()) : ProcessBuilder.Redirect.to(f.path().toFile());
            case Redirect.Stdout s -> throw new IllegalArgumentException("Redirect.STDOUT is for stderr only");
        };
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Pipes.WritePipe stdin() {
        return stdin;
    }

    @Override
    public Pipes.ReadPipe stdout() {
        return stdout;
    }

    @Override
    public Pipes.ReadPipe stderr() {
        return stderr;
    }

    @Override
    public void onExit(IntConsumer exited) {
        process.onExit().whenComplete((p, e) -> {
            int code = p != null ? p.exitValue() : 255;
            try {
                loop.callSoonThreadsafe(() -> exited.accept(code));
            } catch (IllegalStateException loopClosed) {
                // nobody to tell: the JDK reaped it
            }
        });
    }

    @Override
    public void signal(int signal) {
        if (!process.isAlive()) {
            return;
        }
        switch (signal) {
            case 15 -> process.destroy();
            case 9 -> process.destroyForcibly();
            default -> throw new UnsupportedOperationException("signal " + signal + ": without native calls (JVM option "
                    + "--enable-native-access) only TERM and KILL can be sent");
        }
    }

    @Override
    public void release() {
        // the JDK holds nothing for an exited process
    }

    // ------------------------------------------------------------------ pipes

    /** A reader thread, one chunk in flight: the loop releases the next read once it took a chunk. */
    private static final class ReadPipe implements Pipes.ReadPipe {
        private final EventLoopImpl loop;
        private final InputStream in;
        private final java.util.concurrent.Semaphore turn = new java.util.concurrent.Semaphore(0);
        private Pipes.ReadListener listener;
        private volatile boolean closed;
        /** Loop thread: whether the reader waits for resume() rather than for the next chunk. */
        private boolean paused;
        private boolean waiting;
        /** Loop thread: whether the reader thread has its turn, so a report of it is to come. */
        private boolean inFlight;

        ReadPipe(EventLoopImpl loop, InputStream in) {
            this.loop = loop;
            this.in = in;
        }

        @Override
        public void start(Pipes.ReadListener l) {
            listener = l;
            PIPE_THREADS.execute(this::readLoop);
            nextTurn();
        }

        /** Lets the reader read once more; its report is a wake-up the loop expects. Loop thread. */
        private void nextTurn() {
            if (!inFlight && !closed) { // a closed pipe's reader has ended: nothing will report
                inFlight = true;
                Pipes.expectingReport(loop, true);
            }
            turn.release();
        }

        private void reported() {
            if (inFlight) {
                inFlight = false;
                Pipes.expectingReport(loop, false);
            }
        }

        private void readLoop() {
            byte[] buf = new byte[64 * 1024];
            try {
                while (true) {
                    turn.acquireUninterruptibly();
                    if (closed) {
                        return;
                    }
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        deliver(() -> {
                            closeNow();
                            listener.failed(e);
                        });
                        return;
                    }
                    if (n < 0) {
                        deliver(() -> {
                            closeNow();
                            listener.eof();
                        });
                        return;
                    }
                    ByteBuffer chunk = ByteBuffer.wrap(java.util.Arrays.copyOf(buf, n));
                    deliver(() -> {
                        if (closed) {
                            return;
                        }
                        listener.data(chunk);
                        if (paused) {
                            waiting = true;
                        } else {
                            nextTurn();
                        }
                    });
                }
            } finally {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // nothing more to read from it
                }
            }
        }

        private void deliver(Runnable onLoop) {
            try {
                loop.callSoonThreadsafe(() -> {
                    reported();
                    if (!closed) {
                        onLoop.run();
                    }
                });
            } catch (IllegalStateException loopClosed) {
                closed = true;
            }
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
            if (waiting) {
                waiting = false;
                nextTurn();
            }
        }

        private void closeNow() {
            closed = true;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                reported(); // whatever the reader still reports is dropped
                turn.release(); // a reader waiting for its turn ends; one inside read() ends with it
            }
        }
    }

    /** A writer thread taking queued chunks; each one written is reported to the loop. */
    private static final class WritePipe implements Pipes.WritePipe {
        private static final byte[] CLOSE = {};

        private final EventLoopImpl loop;
        private final OutputStream out;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private Pipes.WriteListener listener;
        /** Loop thread. */
        private long buffered;
        private boolean closing;
        private volatile boolean failed;
        private boolean started;
        /** Loop thread: chunks (and the close) queued and not reported yet; while any, the loop expects a report. */
        private int unreported;

        WritePipe(EventLoopImpl loop, OutputStream out) {
            this.loop = loop;
            this.out = out;
        }

        @Override
        public void start(Pipes.WriteListener l) {
            listener = l;
        }

        private void enqueue(byte[] chunk) {
            if (unreported++ == 0) {
                Pipes.expectingReport(loop, true);
            }
            synchronized (queue) {
                queue.addLast(chunk);
                queue.notifyAll();
            }
            if (!started) {
                started = true;
                PIPE_THREADS.execute(this::writeLoop);
            }
        }

        @Override
        public void write(ByteBuffer data) {
            if (closing || failed) {
                data.position(data.limit());
                return;
            }
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            if (chunk.length == 0) {
                return;
            }
            buffered += chunk.length;
            enqueue(chunk);
        }

        private void writeLoop() {
            while (true) {
                byte[] chunk;
                synchronized (queue) {
                    while (queue.isEmpty()) {
                        try {
                            queue.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    chunk = queue.pollFirst();
                }
                if (chunk == CLOSE) {
                    try {
                        out.close();
                    } catch (IOException ignored) {
                        // the child is gone: closed all the same
                    }
                    report(() -> {
                        settle();
                        listener.closed();
                    });
                    return;
                }
                try {
                    out.write(chunk);
                    out.flush();
                } catch (IOException e) {
                    failed = true;
                    try {
                        out.close();
                    } catch (IOException ignored) {
                        // broken already
                    }
                    report(() -> {
                        settle();
                        buffered = 0;
                        listener.failed(Pipes.brokenPipe());
                    });
                    return;
                }
                int n = chunk.length;
                report(() -> {
                    if (unreported > 0 && --unreported == 0) {
                        Pipes.expectingReport(loop, false);
                    }
                    buffered -= n;
                    listener.drained(buffered);
                });
            }
        }

        /** The writer thread ended: nothing more will be reported, whatever was queued (an abort drops chunks). */
        private void settle() {
            if (unreported > 0) {
                unreported = 0;
                Pipes.expectingReport(loop, false);
            }
        }

        private void report(Runnable onLoop) {
            try {
                loop.callSoonThreadsafe(onLoop);
            } catch (IllegalStateException loopClosed) {
                // nobody to tell
            }
        }

        @Override
        public long buffered() {
            return buffered;
        }

        @Override
        public void close() {
            if (closing || failed) {
                return;
            }
            closing = true;
            enqueue(CLOSE);
        }

        @Override
        public void abort() {
            if (failed) {
                return;
            }
            synchronized (queue) {
                queue.clear();
            }
            buffered = 0;
            if (!closing) {
                closing = true;
            }
            enqueue(CLOSE);
        }
    }
}
