package io.asyncio4j.internal.process;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that start children, for every loop of the JVM. Why not the loop thread: a spawn
 * blocks its caller until the child has exec'd (posix_spawn's vfork), which under load takes
 * milliseconds, and spawns must overlap for the loop to keep up (one loop spawning inline managed
 * a third of the processes per second of eight threads spawning side by side, measured here).
 * Eight daemon platform threads (the system property {@code asyncio4j.spawnThreads}), started on
 * first use and ended after 30 s without work.
 */
final class SpawnPool {
    private SpawnPool() {
    }

    static final int THREADS = Math.max(1, Integer.getInteger("asyncio4j.spawnThreads", 8));

    private static final class Holder {
        static final ThreadPoolExecutor POOL;

        static {
            AtomicInteger count = new AtomicInteger();
            POOL = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "asyncio4j-spawn-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            POOL.allowCoreThreadTimeOut(true);
        }
    }

    /** {@return the pool} */
    static Executor get() {
        return Holder.POOL;
    }
}
