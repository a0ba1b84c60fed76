package io.asyncio4j.internal.process;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.posix.Posix;
import io.asyncio4j.process.Redirect;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/*
 * Implementation overview
 *
 * posix_spawn (glibc: clone(CLONE_VM | CLONE_VFORK), so no page table is copied and the call
 * returns once the child has exec'd or failed, with the errno of the failure). Before it, in the
 * parent: a pipe (pipe2, O_CLOEXEC) per PIPE stream, whose parent end is made non-blocking;
 * /dev/null and files opened with O_CLOEXEC (so their errors name the file). The child's file
 * actions: dup2 onto 0, 1, 2 (which clears close-on-exec), closefrom(3) (every other descriptor
 * of the JVM stays out of the child, whether or not the JDK opened it close-on-exec), chdir. Its
 * attributes: an empty signal mask and every catchable signal at its default action (the JVM
 * blocks and ignores some; a child must not inherit that, as Python's restore_signals).
 * After it: the child's ends closed in the parent, a pidfd opened for the poller to reap by.
 */

/** Starts children with posix_spawn through the FFM API. */
final class NativeSpawner {
    private NativeSpawner() {
    }

    private static final int F_DUPFD_CLOEXEC = 1030;

    /** Descriptors made for one spawn: the child's (closed after it) and the parent's (kept). */
    private static final class Fds {
        final List<Integer> childSide = new ArrayList<>();
        final List<Integer> parentSide = new ArrayList<>();

        void closeChildSide() {
            for (int fd : childSide) {
                Posix.close(fd);
            }
            childSide.clear();
        }

        void closeAll() {
            closeChildSide();
            for (int fd : parentSide) {
                Posix.close(fd);
            }
            parentSide.clear();
        }
    }

    /**
     * Starts a child. Blocks the caller until the child has exec'd (a few hundred microseconds).
     *
     * @param loop the loop whose poller registrations the child's descriptors get
     * @param spec what to start
     * @return the child
     * @throws IOException if it cannot start: {@link NoSuchFileException} (the program or a
     *     redirect file), {@link AccessDeniedException}, a {@link FileSystemException} "Exec format
     *     error"...
     */
    static NativeChild spawn(EventLoopImpl loop, SpawnSpec spec) throws IOException {
        Fds fds = new Fds();
        try (Arena a = Arena.ofConfined()) {
            int[] in = childEnd(a, fds, spec.stdin(), true);
            int[] out = childEnd(a, fds, spec.stdout(), false);
            int[] err = spec.stderr() instanceof Redirect.Stdout ? new int[] {-1, -1} : childEnd(a, fds, spec.stderr(), false);

            MemorySegment actions = a.allocate(Posix.SPAWN_STRUCT_SIZE, 16);
            MemorySegment attr = a.allocate(Posix.SPAWN_STRUCT_SIZE, 16);
            check(Posix.spawnStruct("fa_init", actions), "posix_spawn_file_actions_init");
            check(Posix.spawnStruct("attr_init", attr), "posix_spawnattr_init");
            int pid;
            try {
                if (in[0] >= 0) {
                    check(Posix.addDup2(actions, in[0], 0), "posix_spawn_file_actions_adddup2");
                }
                if (out[0] >= 0) {
                    check(Posix.addDup2(actions, out[0], 1), "posix_spawn_file_actions_adddup2");
                }
                if (spec.stderr() instanceof Redirect.Stdout) {
                    check(Posix.addDup2(actions, 1, 2), "posix_spawn_file_actions_adddup2");
                } else if (err[0] >= 0) {
                    check(Posix.addDup2(actions, err[0], 2), "posix_spawn_file_actions_adddup2");
                }
                check(Posix.addCloseFrom(actions, 3), "posix_spawn_file_actions_addclosefrom_np");
                if (spec.cwd() != null) {
                    check(Posix.addChdir(actions, a.allocateFrom(spec.cwd().toString())),
                            "posix_spawn_file_actions_addchdir_np");
                }
                MemorySegment mask = a.allocate(Posix.SIGSET_SIZE, 8);
                MemorySegment defaults = a.allocate(Posix.SIGSET_SIZE, 8);
                Posix.sigset(mask);
                Posix.sigset(defaults, RESET_SIGNALS);
                short flags = (short) (Posix.POSIX_SPAWN_SETSIGMASK | Posix.POSIX_SPAWN_SETSIGDEF);
                if (spec.newSession()) {
                    flags |= Posix.POSIX_SPAWN_SETSID;
                } else if (spec.processGroup() >= 0) {
                    flags |= Posix.POSIX_SPAWN_SETPGROUP;
                    check(Posix.setSpawnGroup(attr, spec.processGroup()), "posix_spawnattr_setpgroup");
                }
                check(Posix.setSpawnSignals(attr, flags, mask, defaults), "posix_spawnattr_setsigmask");
                MemorySegment argv = strings(a, spec.argv());
                List<String> envList = new ArrayList<>(spec.env().size());
                for (Map.Entry<String, String> e : spec.env().entrySet()) {
                    envList.add(e.getKey() + "=" + e.getValue());
                }
                MemorySegment envp = strings(a, envList);
                MemorySegment pidOut = a.allocate(JAVA_INT);
                int r = Posix.posixSpawn(pidOut, a.allocateFrom(spec.program()), actions, attr, argv, envp);
                if (r != 0) {
                    throw spawnError(r, spec.program());
                }
                pid = pidOut.get(JAVA_INT, 0);
            } finally {
                Posix.spawnStruct("fa_destroy", actions);
                Posix.spawnStruct("attr_destroy", attr);
                fds.closeChildSide();
            }
            int pidfd = Posix.pidfdOpen(pid);
            if (pidfd < 0) {
                int errno = Posix.errno();
                // without a pidfd the poller cannot reap it: end it here rather than leave a zombie
                Posix.kill(pid, 9);
                Posix.waitpid(pid, a.allocate(JAVA_INT), 0);
                throw new IOException("pidfd_open: " + Posix.strerror(errno));
            }
            ChildExit exit = new ChildExit(pid, pidfd);
            return new NativeChild(loop, exit,
                    in[1] >= 0 ? new NativePipes.Write(loop, in[1]) : null,
                    out[1] >= 0 ? new NativePipes.Read(loop, out[1]) : null,
                    err[1] >= 0 ? new NativePipes.Read(loop, err[1]) : null);
        } catch (IOException | RuntimeException | Error e) {
            fds.closeAll();
            throw e;
        }
    }

    /** Every catchable standard signal: reset to its default action in the child. */
    private static final int[] RESET_SIGNALS;

    static {
        List<Integer> s = new ArrayList<>();
        for (int i = 1; i < 32; i++) {
            if (i != 9 && i != 19) { // KILL and STOP cannot be changed
                s.add(i);
            }
        }
        RESET_SIGNALS = s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Makes the child's end of one stream. {@return {child's fd or -1 to inherit, parent's fd or -1}}
     */
    private static int[] childEnd(Arena a, Fds fds, Redirect r, boolean input) throws IOException {
        switch (r) {
            case Redirect.Inherit i -> {
                return new int[] {-1, -1};
            }
            case Redirect.Pipe p -> {
                MemorySegment pair = a.allocate(JAVA_INT, 2);
                if (Posix.pipe2(pair, Posix.O_CLOEXEC) != 0) {
                    throw new IOException("pipe2: " + Posix.strerror(Posix.errno()));
                }
                int readEnd = pair.get(JAVA_INT, 0);
                int writeEnd = pair.get(JAVA_INT, 4);
                int child = input ? readEnd : writeEnd;
                int parent = input ? writeEnd : readEnd;
                fds.parentSide.add(parent);
                child = aboveStdio(fds, child);
                if (Posix.fcntl(parent, Posix.F_SETFL, Posix.fcntl(parent, Posix.F_GETFL, 0) | Posix.O_NONBLOCK) < 0) {
                    throw new IOException("fcntl(O_NONBLOCK): " + Posix.strerror(Posix.errno()));
                }
                return new int[] {child, parent};
            }
            case Redirect.DevNull d -> {
                return new int[] {open(a, fds, "/dev/null", input ? Posix.O_RDONLY : Posix.O_WRONLY), -1};
            }
            case Redirect.File f -> {
                int flags = switch (f.mode()) {
                    case READ -> Posix.O_RDONLY;
                    case WRITE -> Posix.O_WRONLY | Posix.O_CREAT | Posix.O_TRUNC;
                    case APPEND -> Posix.O_WRONLY | Posix.O_CREAT | Posix.O_APPEND;
                };
                return new int[] {open(a, fds, f.path().toString(), flags), -1};
            }
            case Redirect.Stdout s -> throw new IllegalArgumentException("Redirect.STDOUT is for stderr only");
        }
    }

    private static int open(Arena a, Fds fds, String path, int flags) throws IOException {
        int fd;
        do {
            fd = Posix.open(a.allocateFrom(path), flags | Posix.O_CLOEXEC, 0666);
        } while (fd < 0 && Posix.errno() == Posix.EINTR);
        if (fd < 0) {
            throw fileError(Posix.errno(), path);
        }
        return aboveStdio(fds, fd);
    }

    /**
     * Records a new child-side descriptor, moved to 3 or above first: the file actions dup2 onto
     * 0, 1 and 2 in turn, and a source numbered 0-2 (a JVM started with a standard stream closed)
     * would be overwritten before it is used.
     */
    private static int aboveStdio(Fds fds, int fd) throws IOException {
        if (fd > 2) {
            fds.childSide.add(fd);
            return fd;
        }
        int moved = Posix.fcntl(fd, F_DUPFD_CLOEXEC, 3);
        int errno = Posix.errno();
        Posix.close(fd);
        if (moved < 0) {
            throw new IOException("fcntl(F_DUPFD_CLOEXEC): " + Posix.strerror(errno));
        }
        fds.childSide.add(moved);
        return moved;
    }

    private static MemorySegment strings(Arena a, List<String> values) {
        MemorySegment array = a.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, a.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(int r, String what) throws IOException {
        if (r != 0) {
            throw new IOException(what + ": " + Posix.strerror(r));
        }
    }

    /** The error of a failed exec, as Python's FileNotFoundError/PermissionError name it. */
    static IOException spawnError(int errno, String program) {
        if (errno == Posix.ENOEXEC) {
            return new FileSystemException(program, null, "Exec format error");
        }
        return fileError(errno, program);
    }

    static IOException fileError(int errno, String path) {
        return switch (errno) {
            case Posix.ENOENT -> new NoSuchFileException(path);
            case Posix.EACCES, Posix.EPERM -> new AccessDeniedException(path);
            case Posix.ENOTDIR -> new FileSystemException(path, null, "Not a directory");
            case Posix.EISDIR -> new FileSystemException(path, null, "Is a directory");
            default -> new IOException(path + ": " + Posix.strerror(errno));
        };
    }
}
