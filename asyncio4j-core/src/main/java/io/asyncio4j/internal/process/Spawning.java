package io.asyncio4j.internal.process;

import io.asyncio4j.internal.file.FileOp;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.posix.Posix;
import io.asyncio4j.process.SubprocessOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Chooses how children start, once per JVM, and starts them: natively (posix_spawn, pidfds and the
 * poller) on Linux when native calls are enabled, else through {@link ProcessBuilder}. The system
 * property {@code asyncio4j.process} ({@code native} or {@code jdk}) forces a choice.
 */
public final class Spawning {
    private Spawning() {
    }

    private static final String FORCED = System.getProperty("asyncio4j.process", "auto");
    /** Why the native mechanism is not used, or null when it is. */
    private static final String NOT_NATIVE = notNativeBecause();

    private static String notNativeBecause() {
        if (FORCED.equals("jdk")) {
            return "system property asyncio4j.process=jdk";
        }
        String why = Posix.unavailableBecause();
        if (why == null && !Posix.hasSpawnFunctions()) {
            why = "libc lacks posix_spawn_file_actions_addclosefrom_np or addchdir_np (glibc 2.34 needed)";
        }
        if (why == null) {
            int fd = Posix.pidfdOpen(Posix.getpid());
            if (fd < 0) {
                why = "pidfd_open: " + Posix.strerror(Posix.errno()) + " (Linux 5.3 needed)";
            } else {
                Posix.close(fd);
            }
        }
        if (why != null && FORCED.equals("native")) {
            throw new IllegalStateException("asyncio4j.process=native, but " + why);
        }
        return why;
    }

    /** {@return "native" or "jdk": the mechanism this JVM uses} */
    public static String mechanism() {
        return NOT_NATIVE == null ? "native" : "jdk";
    }

    /** {@return why children are started by the JDK, or null when they start natively} */
    public static String jdkBecause() {
        return NOT_NATIVE;
    }

    /**
     * Starts a child on a thread of {@link SpawnPool} while the task waits: there it checks the
     * working directory, finds the program on the PATH of the child's environment (file system
     * calls, kept off the loop thread) and spawns. A cancellation meanwhile waits for the spawn,
     * then kills what started (nobody else knows of it).
     */
    static Child spawn(EventLoopImpl loop, List<String> command, SubprocessOptions options) throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no program to run");
        }
        for (String arg : command) {
            if (arg == null) {
                throw new NullPointerException("an argument is null");
            }
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an argument contains a NUL character: " + arg);
            }
        }
        if (NOT_NATIVE != null && (options.newSession() || options.processGroup() >= 0)) {
            // ProcessBuilder has no setsid nor setpgid
            throw new UnsupportedOperationException("a new session or process group needs native calls (JVM option "
                    + "--enable-native-access); children start through the JDK here: " + NOT_NATIVE);
        }
        Map<String, String> env = options.childEnvironment();
        Started s = FileOp.executeOn(SpawnPool.get(), "createSubprocessExec()", op -> {
            SpawnSpec spec = prepare(command, options, env);
            return NOT_NATIVE == null ? new Started(spec, NativeSpawner.spawn(loop, spec), null)
                    : new Started(spec, null, JdkChild.start(spec));
        }, new FileOp.Outcomes<Started>() {
            @Override
            public void kept(Started started) {
                // started for a task that is gone: nobody would see it
                if (started.nativeChild() != null) {
                    started.nativeChild().abandon();
                } else {
                    started.process().destroyForcibly();
                }
            }
        });
        return s.nativeChild() != null ? s.nativeChild() : new JdkChild(loop, s.process(), s.spec());
    }

    /** What a spawn thread started: a native child, or a JDK process to wrap on the loop. */
    private record Started(SpawnSpec spec, NativeChild nativeChild, Process process) {
    }

    /** Checks the working directory and finds the program. A spawn thread. */
    private static SpawnSpec prepare(List<String> command, SubprocessOptions options, Map<String, String> env)
            throws IOException {
        Path cwd = options.cwd();
        if (cwd != null && !Files.isDirectory(cwd)) {
            throw Files.exists(cwd) ? new NotDirectoryException(cwd.toString()) : new NoSuchFileException(cwd.toString());
        }
        String program = resolve(command.get(0), env, cwd);
        return new SpawnSpec(program, List.copyOf(command), env, cwd, options.stdin(), options.stdout(),
                options.stderr(), options.newSession(), options.processGroup());
    }

    /**
     * Finds a program: a name with a '/' is used as it is (relative to the working directory);
     * another is looked up on the PATH of the child's environment (Python's {@code os.defpath}
     * when it has none), as {@code subprocess.Popen} does.
     */
    static String resolve(String program, Map<String, String> env, Path cwd) throws IOException {
        if (program.isEmpty()) {
            throw new NoSuchFileException(program);
        }
        if (program.indexOf('/') >= 0) {
            return program;
        }
        String path = env.getOrDefault("PATH", "/bin:/usr/bin");
        boolean denied = false;
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path base = dir.isEmpty() ? (cwd != null ? cwd : Path.of("")) : Path.of(dir);
            Path candidate = base.resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
                denied = true;
            }
        }
        throw denied ? new AccessDeniedException(program) : new NoSuchFileException(program);
    }
}
