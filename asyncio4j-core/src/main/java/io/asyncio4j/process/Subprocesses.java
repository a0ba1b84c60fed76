package io.asyncio4j.process;

import io.asyncio4j.internal.process.SubprocessStreams;
import io.asyncio4j.internal.process.SubprocessTransportImpl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Child processes on the event loop: asyncio's {@code create_subprocess_exec},
 * {@code create_subprocess_shell} and the low-level {@code loop.subprocess_exec}. Call them from
 * a task.
 *
 * {@snippet :
 * Subprocess p = Subprocesses.createSubprocessExec(List.of("sort"), SubprocessOptions.defaults()
 *         .withStdin(Redirect.PIPE).withStdout(Redirect.PIPE));
 * Subprocess.Output out = p.communicate("b\na\n".getBytes(UTF_8));   // "a\nb\n", returncode 0
 * }
 *
 * <p><b>How children run.</b> On Linux with native calls enabled (the JVM option
 * {@code --enable-native-access=io.asyncio4j}, or {@code =ALL-UNNAMED} on the class path, which
 * asyncio4j's launcher passes), a child is started with {@code posix_spawn}, its pipes are
 * non-blocking descriptors read and written by the loop itself, and one thread of the JVM waits
 * for readiness and exits of every loop's children (epoll and pidfds), reaping each child the
 * moment it exits. Elsewhere, or with {@code -Dasyncio4j.process=jdk}, children start through
 * {@link ProcessBuilder} and each pipe has a thread of its own; then a death by signal N reads as
 * return code 128 + N, and only {@code TERM} and {@code KILL} can be sent. Either way the loop
 * never blocks on a child's pipe, every child is reaped and every descriptor closed.
 *
 * <p>The program is looked up on the {@code PATH} of the child's environment unless it contains a
 * {@code '/'}. Errors are the JDK's precise exceptions: {@link java.nio.file.NoSuchFileException}
 * for a program (or a working directory, or a redirect file) that does not exist,
 * {@link java.nio.file.AccessDeniedException} for one that cannot be run.
 */
public final class Subprocesses {
    private Subprocesses() {
    }

    /**
     * Starts a program with the default options (every stream inherited). Suspends (briefly);
     * checks for cancellation.
     *
     * @param program the program, looked up on the PATH
     * @param args its arguments
     * @return the running process
     * @throws IOException if it cannot start
     */
    public static Subprocess createSubprocessExec(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>(args.length + 1);
        command.add(Objects.requireNonNull(program, "program"));
        command.addAll(List.of(args));
        return createSubprocessExec(command, SubprocessOptions.defaults());
    }

    /**
     * Starts a program: asyncio's {@code create_subprocess_exec(program, *args, stdin=, stdout=,
     * stderr=, cwd=, env=, limit=)}. Suspends (briefly); checks for cancellation.
     *
     * @param command the program and its arguments
     * @param options where its streams go, its directory and environment
     * @return the running process
     * @throws IOException if it cannot start
     */
    public static Subprocess createSubprocessExec(List<String> command, SubprocessOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        SubprocessStreams[] streams = new SubprocessStreams[1];
        SubprocessTransportImpl t = SubprocessTransportImpl.start(() -> streams[0] = new SubprocessStreams(options.limit()),
                List.copyOf(command), options);
        return new Subprocess(t, streams[0], options.killOnCancel());
    }

    /**
     * Runs a command line with {@code /bin/sh -c} and the default options. Suspends (briefly);
     * checks for cancellation.
     *
     * @param command the command line
     * @return the running shell
     * @throws IOException if it cannot start
     */
    public static Subprocess createSubprocessShell(String command) throws IOException {
        return createSubprocessShell(command, SubprocessOptions.defaults());
    }

    /**
     * Runs a command line with {@code /bin/sh -c}: asyncio's {@code create_subprocess_shell}.
     * Quoting the arguments is the caller's business. Suspends (briefly); checks for
     * cancellation.
     *
     * @param command the command line
     * @param options the options
     * @return the running shell
     * @throws IOException if it cannot start
     */
    public static Subprocess createSubprocessShell(String command, SubprocessOptions options) throws IOException {
        return createSubprocessExec(shell(command), options);
    }

    /**
     * Starts a program reporting to a protocol: asyncio's {@code loop.subprocess_exec}. The
     * protocol's {@code connectionMade} has run when this returns. Suspends (briefly); checks for
     * cancellation.
     *
     * @param protocolFactory makes the protocol
     * @param command the program and its arguments
     * @param options the options
     * @return the process's transport; {@link SubprocessTransport#getProtocol()} is the protocol
     * @throws IOException if it cannot start
     */
    public static SubprocessTransport subprocessExec(Supplier<? extends SubprocessProtocol> protocolFactory,
            List<String> command, SubprocessOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        return SubprocessTransportImpl.start(protocolFactory, List.copyOf(command), options);
    }

    /**
     * Runs a command line with {@code /bin/sh -c} reporting to a protocol: asyncio's
     * {@code loop.subprocess_shell}. Suspends (briefly); checks for cancellation.
     *
     * @param protocolFactory makes the protocol
     * @param command the command line
     * @param options the options
     * @return the process's transport
     * @throws IOException if it cannot start
     */
    public static SubprocessTransport subprocessShell(Supplier<? extends SubprocessProtocol> protocolFactory,
            String command, SubprocessOptions options) throws IOException {
        return subprocessExec(protocolFactory, shell(command), options);
    }

    private static List<String> shell(String command) {
        return List.of("/bin/sh", "-c", Objects.requireNonNull(command, "command"));
    }
}
