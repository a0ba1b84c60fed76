package io.asyncio4j.internal.process;

import io.asyncio4j.EventLoop;
import io.asyncio4j.internal.posix.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/*
 * Implementation overview
 *
 * Why a thread: a child's pipes and its pidfd are plain file descriptors, and the JDK's Selector
 * (the loop's) takes only its own channel types, with no public way to wrap a descriptor. So one
 * platform thread per JVM waits in epoll_wait for every loop's child descriptors and hands each
 * readiness to the descriptor's loop with callSoonThreadsafe: one hand-off per loop per wake-up,
 * however many descriptors were ready. The loop then does the I/O itself, non-blocking.
 *
 * Registrations are one-shot (EPOLLONESHOT): a readiness is reported once, and the loop re-arms
 * the descriptor (watch) when it wants the next one, so a paused reader costs nothing. The epoll
 * data of a descriptor is its registration's id, never the descriptor: a descriptor the loop
 * closed and the kernel reused for a new pipe has a new id, and a late report for the old id
 * finds nothing (or a closed registration) and is dropped.
 *
 * Ownership: the loop owns its pipe descriptors (it unwatches, then closes them). A pidfd is
 * owned by this thread for reaping: when it turns readable the child has exited, and the poller
 * reaps it at once with waitpid (so no child ever stays a zombie, whatever its loop does), then
 * reports the status; the pidfd itself is closed when both sides are done with it (the loop
 * still signals through it until it learns of the exit), see ChildExit.
 *
 * Thread safety: registrations are in a concurrent map; epoll_ctl may be called from any thread.
 * The owners must expect a readiness at any point of a task's call into them: a task's virtual
 * thread unmounts on a contended monitor (a JDK cache, the concurrent map), and the loop then
 * runs other callbacks, this poller's deliveries among them. So an owner sets its state (its
 * registration, "armed") before the call that lets the poller see the descriptor.
 * The eventfd `wakeFd` (data 0) only wakes the poller for a shutdown it never does: it is the
 * first registration, so the epoll set is never empty.
 */

/** The JVM's one poller of child-process descriptors (pipes and pidfds), on a platform thread. */
final class ProcessPoller {

    /** What a registration's owner is told, on its loop's thread. */
    interface Ready {
        /**
         * The descriptor is ready (or, for a pidfd, the child was reaped).
         *
         * @param events the epoll events
         */
        void ready(int events);
    }

    /** A watched descriptor: its id is the epoll data. */
    static final class Registration {
        final long id;
        final int fd;
        final EventLoop loop;
        final Ready owner;
        /** For a pidfd: the child's exit, reaped by the poller. */
        final ChildExit exit;
        /** Whether the owner closed it: later reports are dropped. Loop thread. */
        boolean closed;

        Registration(long id, int fd, EventLoop loop, Ready owner, ChildExit exit) {
            this.id = id;
            this.fd = fd;
            this.loop = loop;
            this.owner = owner;
            this.exit = exit;
        }
    }

    private static final class Holder {
        static final ProcessPoller INSTANCE = new ProcessPoller();
    }

    /** {@return the poller, started on first use} */
    static ProcessPoller get() {
        return Holder.INSTANCE;
    }

    private static final int MAX_EVENTS = 256;

    private final int epfd;
    private final AtomicLong ids = new AtomicLong(1);
    private final Map<Long, Registration> registrations = new ConcurrentHashMap<>();

    private ProcessPoller() {
        epfd = Posix.epollCreate();
        if (epfd < 0) {
            throw new IllegalStateException("epoll_create1: " + Posix.strerror(Posix.errno()));
        }
        int wakeFd = Posix.eventfd(Posix.EFD_CLOEXEC | Posix.EFD_NONBLOCK);
        if (wakeFd < 0) {
            throw new IllegalStateException("eventfd: " + Posix.strerror(Posix.errno()));
        }
        ctl(Posix.EPOLL_CTL_ADD, wakeFd, Posix.EPOLLIN, 0);
        Thread t = new Thread(this::run, "asyncio4j-process-poller");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Registers a descriptor, armed for one report of {@code events} (none if 0). Any thread.
     *
     * @param fd the descriptor
     * @param loop the loop that owns it
     * @param owner told of readiness, on the loop
     * @param exit for a pidfd, its exit record; else null
     * @param events {@link Posix#EPOLLIN}, {@link Posix#EPOLLOUT} or 0
     * @return the registration
     */
    Registration register(int fd, EventLoop loop, Ready owner, ChildExit exit, int events) {
        Registration r = new Registration(ids.getAndIncrement(), fd, loop, owner, exit);
        registrations.put(r.id, r);
        ctl(Posix.EPOLL_CTL_ADD, fd, events == 0 ? 0 : events | Posix.EPOLLONESHOT, r.id);
        return r;
    }

    /**
     * Arms a registration for one report of the given events. Any thread.
     *
     * @param r the registration
     * @param events {@link Posix#EPOLLIN} or {@link Posix#EPOLLOUT}
     */
    void watch(Registration r, int events) {
        ctl(Posix.EPOLL_CTL_MOD, r.fd, events | Posix.EPOLLONESHOT, r.id);
    }

    /**
     * Removes a registration; its descriptor may be closed once this returns. Any thread.
     *
     * @param r the registration
     */
    void unregister(Registration r) {
        registrations.remove(r.id);
        Posix.epollCtl(epfd, Posix.EPOLL_CTL_DEL, r.fd, MemorySegment.NULL);
    }

    /**
     * The epoll_event fields; constants, as a layout made per call (withByteAlignment) looks its
     * var handle up in a JDK cache guarded by a monitor, on which a task's virtual thread unmounts.
     */
    private static final ValueLayout.OfInt EVENTS = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfLong DATA = JAVA_LONG.withByteAlignment(1);

    private void ctl(int op, int fd, int events, long data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ev = a.allocate(Posix.EPOLL_EVENT_SIZE, 8);
            ev.set(EVENTS, 0, events);
            ev.set(DATA, Posix.EPOLL_DATA_OFFSET, data);
            if (Posix.epollCtl(epfd, op, fd, ev) != 0) {
                int errno = Posix.errno();
                throw new IllegalStateException("epoll_ctl(" + op + ", fd " + fd + "): " + Posix.strerror(errno));
            }
        }
    }

    private void run() {
        MemorySegment events = Arena.global().allocate(Posix.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
        Map<EventLoop, List<Runnable>> byLoop = new IdentityHashMap<>();
        while (true) {
            int n = Posix.epollWait(epfd, events, MAX_EVENTS, -1);
            if (n < 0) {
                if (Posix.errno() == Posix.EINTR) {
                    continue;
                }
                System.getLogger("io.asyncio4j").log(System.Logger.Level.ERROR,
                        "the process poller failed: " + Posix.strerror(Posix.errno()));
                return;
            }
            for (int i = 0; i < n; i++) {
                long base = i * Posix.EPOLL_EVENT_SIZE;
                int ev = events.get(EVENTS, base);
                long id = events.get(DATA, base + Posix.EPOLL_DATA_OFFSET);
                if (id == 0) {
                    continue; // the wake-up eventfd: never written
                }
                Registration r = registrations.get(id);
                if (r == null) {
                    continue; // unregistered since epoll_wait returned
                }
                if (r.exit != null) {
                    if (!r.exit.reap()) {
                        watch(r, Posix.EPOLLIN); // readable but not reapable yet: look again
                        continue;
                    }
                    unregister(r); // before the pidfd may be closed: never DEL a reused number
                    r.exit.release();
                }
                byLoop.computeIfAbsent(r.loop, l -> new ArrayList<>()).add(() -> {
                    if (!r.closed) {
                        r.owner.ready(ev);
                    }
                });
            }
            for (Map.Entry<EventLoop, List<Runnable>> e : byLoop.entrySet()) {
                List<Runnable> batch = e.getValue();
                try {
                    e.getKey().callSoonThreadsafe(() -> {
                        for (Runnable r : batch) {
                            r.run();
                        }
                    });
                } catch (IllegalStateException loopClosed) {
                    // the loop closed: its close hook released its descriptors; exits were reaped
                }
            }
            byLoop.clear();
        }
    }
}
