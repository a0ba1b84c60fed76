package io.asyncio4j.internal.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/*
 * Implementation overview
 *
 * The few libc functions asyncio4j calls itself, through the Foreign Function & Memory API: the
 * process spawn (posix_spawn and its file actions), pipes, pidfds, epoll and eventfd for the
 * process poller, and setpriority for the file threads. Only on Linux with glibc, and only when
 * this module may call native code (`--enable-native-access=io.asyncio4j`, or `=ALL-UNNAMED` on
 * the class path): without it the JDK prints a warning on the first native call, so asyncio4j
 * asks first (Module.isNativeAccessEnabled) and otherwise uses the JDK's own mechanisms
 * (ProcessBuilder) instead. Every handle captures errno into a confined segment of the call,
 * kept for errno() when the call failed. Calls that cannot block on a non-blocking descriptor
 * (read, write) are "critical" downcalls taking heap arrays directly.
 */

/** libc through the FFM API, when it may be used. Every call returns the C result. */
@SuppressWarnings("restricted") // native calls are what this class is for; enabled() guards them
public final class Posix {
    private Posix() {
    }

    /** Why native calls are not used, or null when they are. */
    private static final String UNAVAILABLE = unavailableReason();

    private static String unavailableReason() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return "not Linux";
        }
        if (!Posix.class.getModule().isNativeAccessEnabled()) {
            return "native access is not enabled (JVM option --enable-native-access=io.asyncio4j, "
                    + "or =ALL-UNNAMED on the class path)";
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "untested architecture " + arch;
        }
        return null;
    }

    /** {@return whether libc may be called: Linux, a known architecture, native access enabled} */
    public static boolean enabled() {
        return UNAVAILABLE == null;
    }

    /** {@return why libc is not called, or null} */
    public static String unavailableBecause() {
        return UNAVAILABLE;
    }

    // ------------------------------------------------------------------ constants (Linux)

    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_WRONLY}. */
    public static final int O_WRONLY = 1;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0100;
    /** {@code O_TRUNC}. */
    public static final int O_TRUNC = 01000;
    /** {@code O_APPEND}. */
    public static final int O_APPEND = 02000;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 04000;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 02000000;
    /** {@code F_GETFL}. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}. */
    public static final int F_SETFL = 4;
    /** {@code F_SETPIPE_SZ}. */
    public static final int F_SETPIPE_SZ = 1031;
    /** {@code EPOLLIN}. */
    public static final int EPOLLIN = 0x001;
    /** {@code EPOLLOUT}. */
    public static final int EPOLLOUT = 0x004;
    /** {@code EPOLLERR}. */
    public static final int EPOLLERR = 0x008;
    /** {@code EPOLLHUP}. */
    public static final int EPOLLHUP = 0x010;
    /** {@code EPOLLONESHOT}. */
    public static final int EPOLLONESHOT = 1 << 30;
    /** {@code EPOLL_CTL_ADD}. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code EPOLL_CTL_DEL}. */
    public static final int EPOLL_CTL_DEL = 2;
    /** {@code EPOLL_CTL_MOD}. */
    public static final int EPOLL_CTL_MOD = 3;
    /** {@code EPOLL_CLOEXEC}. */
    public static final int EPOLL_CLOEXEC = 02000000;
    /** {@code EFD_CLOEXEC}. */
    public static final int EFD_CLOEXEC = 02000000;
    /** {@code EFD_NONBLOCK}. */
    public static final int EFD_NONBLOCK = 04000;
    /** {@code WNOHANG}. */
    public static final int WNOHANG = 1;
    /** {@code POSIX_SPAWN_SETSIGDEF}. */
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    /** {@code POSIX_SPAWN_SETPGROUP}. */
    public static final short POSIX_SPAWN_SETPGROUP = 0x02;
    /** {@code POSIX_SPAWN_SETSIGMASK}. */
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** {@code POSIX_SPAWN_SETSID} (glibc 2.26). */
    public static final short POSIX_SPAWN_SETSID = 0x80;
    /** {@code EINTR}. */
    public static final int EINTR = 4;
    /** {@code EAGAIN}. */
    public static final int EAGAIN = 11;
    /** {@code ESRCH}. */
    public static final int ESRCH = 3;
    /** {@code EPIPE}. */
    public static final int EPIPE = 32;
    /** {@code ECHILD}. */
    public static final int ECHILD = 10;
    /** {@code ENOENT}. */
    public static final int ENOENT = 2;
    /** {@code EACCES}. */
    public static final int EACCES = 13;
    /** {@code EPERM}. */
    public static final int EPERM = 1;
    /** {@code ENOTDIR}. */
    public static final int ENOTDIR = 20;
    /** {@code EISDIR}. */
    public static final int EISDIR = 21;
    /** {@code ENOEXEC}. */
    public static final int ENOEXEC = 8;
    /** {@code ENOSYS}. */
    public static final int ENOSYS = 38;
    /** Size of a {@code posix_spawn_file_actions_t} or {@code posix_spawnattr_t}, rounded up. */
    public static final long SPAWN_STRUCT_SIZE = 512;
    /** Size of a {@code sigset_t}. */
    public static final long SIGSET_SIZE = 128;

    /** {@code struct epoll_event}: packed on x86-64 (12 bytes), naturally aligned elsewhere (16). */
    public static final long EPOLL_EVENT_SIZE;
    /** Offset of {@code epoll_event.data}. */
    public static final long EPOLL_DATA_OFFSET;

    static {
        String arch = System.getProperty("os.arch", "");
        boolean packed = arch.equals("amd64") || arch.equals("x86_64");
        EPOLL_EVENT_SIZE = packed ? 12 : 16;
        EPOLL_DATA_OFFSET = packed ? 4 : 8;
    }

    // ------------------------------------------------------------------ errno

    /**
     * The errno of this thread's last failed call. Why not a capture segment per thread: tasks
     * are virtual threads, one per task, and a segment each (freed by a Cleaner) costs more than a
     * confined one per call; the value is kept in a plain heap holder, written on failure only.
     */
    private static final ThreadLocal<int[]> ERRNO = ThreadLocal.withInitial(() -> new int[1]);

    /** {@return the errno of this thread's last failed call} */
    public static int errno() {
        return ERRNO.get()[0];
    }

    private static void saveErrno(MemorySegment state) {
        ERRNO.get()[0] = (int) Native.ERRNO.get(state, 0L);
    }

    /**
     * {@return the message of an errno value} {@code strerror}.
     *
     * @param errno the value
     */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) Native.STRERROR.invokeExact(errno);
            return s.reinterpret(1024).getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    // ------------------------------------------------------------------ calls

    /** The downcall handles, made on first use (only when {@link #enabled()}). */
    static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final StructLayout STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
        static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
            MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
            return LINKER.downcallHandle(symbol, fd, options);
        }

        static MethodHandle withErrno(String name, FunctionDescriptor fd) {
            return handle(name, fd, CAPTURE);
        }

        static MethodHandle critical(String name, FunctionDescriptor fd) {
            return handle(name, fd, Linker.Option.critical(true), CAPTURE);
        }

        static final MethodHandle STRERROR = handle("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle CLOSE = withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle READ = critical("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle WRITE = critical("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle READ_NATIVE = withErrno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle WRITE_NATIVE = withErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle PIPE2 = withErrno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2), CAPTURE);
        static final MethodHandle FCNTL = handle("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2), CAPTURE);
        static final MethodHandle KILL = withErrno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle WAITPID = withErrno("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle SYSCALL4 = handle("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), CAPTURE);
        static final MethodHandle EPOLL_CREATE1 = withErrno("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle EPOLL_CTL = withErrno("epoll_ctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle EPOLL_WAIT = withErrno("epoll_wait",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle EVENTFD = withErrno("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle SETPRIORITY = withErrno("setpriority",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle GETTID = handle("gettid", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle GETPID = handle("getpid", FunctionDescriptor.of(JAVA_INT));
        private Native() {
        }
    }

    /** The handles of the spawn functions, made once {@link #hasSpawnFunctions()} found them. */
    static final class Spawn {
        static final MethodHandle SPAWN = Native.withErrno("posix_spawn",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle FA_INIT = Native.handle("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FA_DESTROY = Native.handle("posix_spawn_file_actions_destroy",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FA_DUP2 = Native.handle("posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle FA_CLOSEFROM = Native.handle("posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle FA_CHDIR = Native.handle("posix_spawn_file_actions_addchdir_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle ATTR_INIT = Native.handle("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ATTR_DESTROY = Native.handle("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ATTR_SETFLAGS = Native.handle("posix_spawnattr_setflags",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, java.lang.foreign.ValueLayout.JAVA_SHORT));
        static final MethodHandle ATTR_SETSIGMASK = Native.handle("posix_spawnattr_setsigmask",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle ATTR_SETPGROUP = Native.handle("posix_spawnattr_setpgroup",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle ATTR_SETSIGDEFAULT = Native.handle("posix_spawnattr_setsigdefault",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle SIGEMPTYSET = Native.handle("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle SIGADDSET = Native.handle("sigaddset", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));


        private Spawn() {
        }
    }

    /** Linux system call numbers of what glibc 2.36 wraps but older ones do not. */
    private static final long SYS_PIDFD_OPEN;
    private static final long SYS_PIDFD_SEND_SIGNAL;

    static {
        // the same numbers on x86-64 and arm64 (the unified table since Linux 5.1)
        SYS_PIDFD_OPEN = 434;
        SYS_PIDFD_SEND_SIGNAL = 424;
    }

    private static RuntimeException fail(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** {@code close(fd)}. @param fd the descriptor @return 0 or -1 */
    public static int close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.CLOSE.invokeExact(st, fd);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code read(fd, array + offset, length)} into a heap array (a non-blocking descriptor only).
     *
     * @param fd the descriptor
     * @param array the array
     * @param offset where to read to
     * @param length how much
     * @return the bytes read, 0 at the end, -1 with errno
     */
    public static long read(int fd, byte[] array, int offset, int length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            long r = (long) Native.READ.invokeExact(st, fd, MemorySegment.ofArray(array).asSlice(offset, length),
                    (long) length);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code read} into native memory.
     *
     * @param fd the descriptor
     * @param buffer the memory
     * @param length how much
     * @return the bytes read, 0 at the end, -1 with errno
     */
    public static long read(int fd, MemorySegment buffer, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            long r = (long) Native.READ_NATIVE.invokeExact(st, fd, buffer, length);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code write(fd, array + offset, length)} from a heap array (a non-blocking descriptor only).
     *
     * @param fd the descriptor
     * @param array the array
     * @param offset where the bytes start
     * @param length how many
     * @return the bytes written, or -1 with errno
     */
    public static long write(int fd, byte[] array, int offset, int length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            long r = (long) Native.WRITE.invokeExact(st, fd, MemorySegment.ofArray(array).asSlice(offset, length),
                    (long) length);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code write} from native memory.
     *
     * @param fd the descriptor
     * @param buffer the memory
     * @param length how many bytes
     * @return the bytes written, or -1 with errno
     */
    public static long write(int fd, MemorySegment buffer, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            long r = (long) Native.WRITE_NATIVE.invokeExact(st, fd, buffer, length);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code pipe2(fds, flags)}.
     *
     * @param fds two ints
     * @param flags flags
     * @return 0 or -1
     */
    public static int pipe2(MemorySegment fds, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.PIPE2.invokeExact(st, fds, flags);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code open(path, flags, mode)}.
     *
     * @param path a C string
     * @param flags flags
     * @param mode the mode for a created file
     * @return the descriptor or -1
     */
    public static int open(MemorySegment path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.OPEN.invokeExact(st, path, flags, mode);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code fcntl(fd, cmd, arg)}.
     *
     * @param fd the descriptor
     * @param cmd the command
     * @param arg its argument
     * @return the command's result, or -1
     */
    public static int fcntl(int fd, int cmd, int arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.FCNTL.invokeExact(st, fd, cmd, arg);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code kill(pid, sig)}.
     *
     * @param pid the process
     * @param sig the signal
     * @return 0 or -1
     */
    public static int kill(int pid, int sig) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.KILL.invokeExact(st, pid, sig);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code waitpid(pid, status, options)}.
     *
     * @param pid the child
     * @param status an int for the status
     * @param options {@link #WNOHANG} or 0
     * @return the pid, 0 if it has not exited (WNOHANG), or -1
     */
    public static int waitpid(int pid, MemorySegment status, int options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.WAITPID.invokeExact(st, pid, status, options);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code pidfd_open(pid, 0)} (Linux 5.3).
     *
     * @param pid the process
     * @return the pidfd or -1
     */
    public static int pidfdOpen(int pid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) (long) Native.SYSCALL4.invokeExact(st, SYS_PIDFD_OPEN, (long) pid, 0L, 0L, 0L);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code pidfd_send_signal(pidfd, sig, NULL, 0)} (Linux 5.1).
     *
     * @param pidfd the process's pidfd
     * @param sig the signal
     * @return 0 or -1 (ESRCH once the process has exited)
     */
    public static int pidfdSendSignal(int pidfd, int sig) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) (long) Native.SYSCALL4.invokeExact(st, SYS_PIDFD_SEND_SIGNAL, (long) pidfd,
                    (long) sig, 0L, 0L); // no siginfo, no flags
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** {@code epoll_create1(EPOLL_CLOEXEC)}. @return the descriptor or -1 */
    public static int epollCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.EPOLL_CREATE1.invokeExact(st, EPOLL_CLOEXEC);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, event)}.
     *
     * @param epfd the epoll descriptor
     * @param op the operation
     * @param fd the watched descriptor
     * @param event an epoll_event, or NULL for DEL
     * @return 0 or -1
     */
    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.EPOLL_CTL.invokeExact(st, epfd, op, fd, event);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code epoll_wait(epfd, events, max, timeout)}: blocks (a platform thread only).
     *
     * @param epfd the epoll descriptor
     * @param events room for {@code max} events
     * @param max how many
     * @param timeoutMs -1 for none
     * @return the number of events, or -1
     */
    public static int epollWait(int epfd, MemorySegment events, int max, int timeoutMs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.EPOLL_WAIT.invokeExact(st, epfd, events, max, timeoutMs);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code eventfd(0, flags)}.
     *
     * @param flags flags
     * @return the descriptor or -1
     */
    public static int eventfd(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Native.STATE);
            int r = (int) Native.EVENTFD.invokeExact(st, 0, flags);
            if (r < 0) {
                saveErrno(st);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * Lowers the calling thread's scheduling priority: {@code setpriority(PRIO_PROCESS, gettid(), nice)}.
     *
     * @param nice the nice value
     * @return whether it worked
     */
    public static boolean niceCurrentThread(int nice) {
        try {
            int tid = (int) Native.GETTID.invokeExact();
            try (Arena a = Arena.ofConfined()) {
                return (int) Native.SETPRIORITY.invokeExact(a.allocate(Native.STATE), 0, tid, nice) == 0;
            }
        } catch (Throwable t) {
            return false;
        }
    }

    /** {@return this process's pid} */
    public static int getpid() {
        try {
            return (int) Native.GETPID.invokeExact();
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code posix_spawn(pid, path, actions, attr, argv, envp)}.
     *
     * @param pid an int for the child's pid
     * @param path the program, a C string
     * @param actions file actions
     * @param attr attributes
     * @param argv a NULL-terminated array of C strings
     * @param envp a NULL-terminated array of C strings
     * @return 0 or an errno value
     */
    public static int posixSpawn(MemorySegment pid, MemorySegment path, MemorySegment actions, MemorySegment attr,
            MemorySegment argv, MemorySegment envp) {
        try {
            try (Arena a = Arena.ofConfined()) {
                return (int) Spawn.SPAWN.invokeExact(a.allocate(Native.STATE), pid, path, actions, attr, argv, envp);
            }
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * Calls a spawn-struct function: {@code posix_spawn_file_actions_init} and friends.
     *
     * @param which the function: {@code "fa_init"}, {@code "fa_destroy"}, {@code "attr_init"},
     *     {@code "attr_destroy"}
     * @param struct the struct
     * @return the function's result
     */
    public static int spawnStruct(String which, MemorySegment struct) {
        try {
            return switch (which) {
                case "fa_init" -> (int) Spawn.FA_INIT.invokeExact(struct);
                case "fa_destroy" -> (int) Spawn.FA_DESTROY.invokeExact(struct);
                case "attr_init" -> (int) Spawn.ATTR_INIT.invokeExact(struct);
                case "attr_destroy" -> (int) Spawn.ATTR_DESTROY.invokeExact(struct);
                default -> throw new IllegalArgumentException(which);
            };
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code posix_spawn_file_actions_adddup2}.
     *
     * @param actions the file actions
     * @param fd the descriptor
     * @param newFd its number in the child
     * @return 0 or an errno value
     */
    public static int addDup2(MemorySegment actions, int fd, int newFd) {
        try {
            return (int) Spawn.FA_DUP2.invokeExact(actions, fd, newFd);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code posix_spawn_file_actions_addclosefrom_np} (glibc 2.34).
     *
     * @param actions the file actions
     * @param from the lowest descriptor to close
     * @return 0 or an errno value
     */
    public static int addCloseFrom(MemorySegment actions, int from) {
        try {
            return (int) Spawn.FA_CLOSEFROM.invokeExact(actions, from);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@code posix_spawn_file_actions_addchdir_np} (glibc 2.29).
     *
     * @param actions the file actions
     * @param dir a C string
     * @return 0 or an errno value
     */
    public static int addChdir(MemorySegment actions, MemorySegment dir) {
        try {
            return (int) Spawn.FA_CHDIR.invokeExact(actions, dir);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * Sets the process group a child joins ({@code posix_spawnattr_setpgroup}; takes effect with
     * the flag {@link #POSIX_SPAWN_SETPGROUP}).
     *
     * @param attr the attributes
     * @param pgid 0 for a group of its own, else the group's id
     * @return 0 or an errno value
     */
    public static int setSpawnGroup(MemorySegment attr, int pgid) {
        try {
            return (int) Spawn.ATTR_SETPGROUP.invokeExact(attr, pgid);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * Sets the attributes' flags, an empty signal mask and the signals reset to their default
     * action ({@code posix_spawnattr_setflags}, {@code setsigmask}, {@code setsigdefault}).
     *
     * @param attr the attributes
     * @param flags the flags
     * @param mask an empty sigset_t
     * @param defaults a sigset_t of the signals to reset
     * @return 0 or an errno value
     */
    public static int setSpawnSignals(MemorySegment attr, short flags, MemorySegment mask, MemorySegment defaults) {
        try {
            int r = (int) Spawn.ATTR_SETFLAGS.invokeExact(attr, flags);
            if (r == 0) {
                r = (int) Spawn.ATTR_SETSIGMASK.invokeExact(attr, mask);
            }
            if (r == 0) {
                r = (int) Spawn.ATTR_SETSIGDEFAULT.invokeExact(attr, defaults);
            }
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * Fills a sigset_t: empty, then the given signals ({@code sigemptyset}, {@code sigaddset}).
     *
     * @param set the set
     * @param signals the signal numbers to add
     */
    public static void sigset(MemorySegment set, int... signals) {
        try {
            int r = (int) Spawn.SIGEMPTYSET.invokeExact(set);
            for (int s : signals) {
                r = (int) Spawn.SIGADDSET.invokeExact(set, s);
            }
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * {@return whether every function the process mechanism needs is in libc} A probe, after
     * {@link #enabled()}.
     */
    public static boolean hasSpawnFunctions() {
        try {
            SymbolLookup libc = Linker.nativeLinker().defaultLookup();
            for (String f : new String[] {"posix_spawn", "posix_spawn_file_actions_addclosefrom_np",
                    "posix_spawn_file_actions_addchdir_np", "posix_spawnattr_setsigdefault", "epoll_create1",
                    "eventfd", "pipe2", "gettid", "syscall"}) {
                if (libc.find(f).isEmpty()) {
                    return false;
                }
            }
            return true;
        } catch (Throwable t) {
            return false;
        }
    }
}
