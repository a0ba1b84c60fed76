package io.asyncio4j.internal.process;

import io.asyncio4j.internal.posix.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A natively spawned child's pid and pidfd, and how it exited. The poller reaps the child
 * ({@link #reap()}) as soon as its pidfd turns readable; the loop sends signals through the pidfd
 * ({@link #signal}) until it is done with the child ({@link #release()}). The pidfd is closed when
 * both have let go of it (two references), so a signal can never reach a process that reused the
 * pid, and the descriptor is never closed while the other side may still use it.
 */
final class ChildExit {
    final int pid;
    private final int pidfd;
    private final AtomicInteger refs = new AtomicInteger(2);
    /** The return code, written by the poller before it reports the exit to the loop. */
    private volatile int returncode;
    private volatile boolean exited;

    ChildExit(int pid, int pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
    }

    int pidfd() {
        return pidfd;
    }

    /**
     * Reaps the child if it has exited (waitpid, WNOHANG); the poller's thread, which then removes
     * the pidfd from its epoll set and only then {@linkplain #release() lets go of it}.
     * {@return whether it was reaped}
     */
    boolean reap() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(JAVA_INT);
            int r;
            do {
                r = Posix.waitpid(pid, status, Posix.WNOHANG);
            } while (r < 0 && Posix.errno() == Posix.EINTR);
            if (r == 0) {
                return false;
            }
            if (r < 0) {
                // ECHILD: reaped by someone else (a waitpid(-1) in native code): its status is lost
                returncode = 255;
            } else {
                returncode = decode(status.get(JAVA_INT, 0));
            }
        }
        exited = true;
        return true;
    }

    /** asyncio's return code: the exit status, or minus the number of the signal that ended it. */
    static int decode(int status) {
        int sig = status & 0x7f;
        return sig == 0 ? (status >> 8) & 0xff : -sig;
    }

    /** {@return the return code, once {@link #exited()}} */
    int returncode() {
        return returncode;
    }

    /** {@return whether the child was reaped} */
    boolean exited() {
        return exited;
    }

    /**
     * Sends a signal through the pidfd; nothing once the child was reaped. The loop's thread,
     * before {@link #release()}.
     *
     * @param sig the signal
     */
    void signal(int sig) {
        if (exited) {
            return;
        }
        Posix.pidfdSendSignal(pidfd, sig); // ESRCH if it exited meanwhile: nothing to do
    }

    /** Lets go of the pidfd: the second caller closes it. Either side, once. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            Posix.close(pidfd);
        }
    }
}
