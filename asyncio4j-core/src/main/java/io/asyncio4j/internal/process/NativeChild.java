package io.asyncio4j.internal.process;

import io.asyncio4j.internal.loop.EventLoopImpl;
import java.util.function.IntConsumer;

/** A child spawned with posix_spawn: non-blocking pipes and a pidfd, driven by the poller. */
final class NativeChild implements Child, ProcessPoller.Ready {
    private final EventLoopImpl loop;
    private final ChildExit exit;
    private final Pipes.WritePipe stdin;
    private final Pipes.ReadPipe stdout;
    private final Pipes.ReadPipe stderr;
    private IntConsumer onExit;
    private boolean released;

    NativeChild(EventLoopImpl loop, ChildExit exit, Pipes.WritePipe stdin, Pipes.ReadPipe stdout,
            Pipes.ReadPipe stderr) {
        this.loop = loop;
        this.exit = exit;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public long pid() {
        return exit.pid;
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
        onExit = exited;
        ProcessPoller.get().register(exit.pidfd(), loop, this, exit, io.asyncio4j.internal.posix.Posix.EPOLLIN);
    }

    @Override
    public void ready(int events) {
        // the poller reaped the child before reporting it
        onExit.accept(exit.returncode());
    }

    @Override
    public void signal(int signal) {
        if (!released) {
            exit.signal(signal);
        }
    }

    /**
     * A child started for a task cancelled meanwhile: kill it, close its pipes, let the poller
     * reap it. Loop thread.
     */
    void abandon() {
        exit.signal(9);
        if (stdin != null) {
            stdin.abort();
        }
        if (stdout != null) {
            stdout.close();
        }
        if (stderr != null) {
            stderr.close();
        }
        ProcessPoller.get().register(exit.pidfd(), loop, events -> { }, exit, io.asyncio4j.internal.posix.Posix.EPOLLIN);
        release();
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            exit.release();
        }
    }
}
