package io.asyncio4j.internal.file;

import io.asyncio4j.internal.posix.Posix;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that make file system calls for every loop of the JVM: a bounded pool of daemon
 * platform threads (the system property {@code asyncio4j.fileThreads}, by default 4 or the number
 * of processors if higher), started on first use and ended after 30 s without work; plus an
 * unbounded pool for calls that may block for ever (FIFOs, devices), so that those can never take
 * every file thread. Separate from each loop's default executor, so that blocking calls of the
 * user's own ({@code toThread}) never queue file I/O behind them.
 *
 * <p>Where native calls are enabled (see {@link Posix}), each file thread lowers its own
 * scheduling priority (nice 10): copying data into and out of the page cache keeps a processor
 * busy, and a loop thread waking meanwhile should get a processor first.
 */
public final class FilePool {
    /** How many threads make ordinary file calls. */
    public static final int THREADS = Math.max(1, Integer.getInteger("asyncio4j.fileThreads",
            Math.max(4, Runtime.getRuntime().availableProcessors())));

    /** The nice value of the file threads. */
    private static final int NICE = 10;

    private FilePool() {
    }

    private static final class Regular {
        static final ThreadPoolExecutor POOL = pool("asyncio4j-file-", THREADS, new LinkedBlockingQueue<>());
    }

    private static final class Special {
        static final ThreadPoolExecutor POOL = pool("asyncio4j-file-special-", Integer.MAX_VALUE,
                new SynchronousQueue<>());
    }

    private static ThreadPoolExecutor pool(String prefix, int max, java.util.concurrent.BlockingQueue<Runnable> queue) {
        AtomicInteger count = new AtomicInteger();
        int core = max == Integer.MAX_VALUE ? 0 : max;
        ThreadPoolExecutor p = new ThreadPoolExecutor(core, max, 30, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(() -> {
                if (Posix.enabled()) {
                    Posix.niceCurrentThread(NICE);
                }
                r.run();
            }, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        p.allowCoreThreadTimeOut(core > 0);
        return p;
    }

    /**
     * Runs a file call on the bounded pool.
     *
     * @param call the call
     */
    static void execute(Runnable call) {
        Regular.POOL.execute(call);
    }

    /**
     * Runs a call that may block for ever on a thread of its own.
     *
     * @param call the call
     */
    static void executeSpecial(Runnable call) {
        Special.POOL.execute(call);
    }
}
