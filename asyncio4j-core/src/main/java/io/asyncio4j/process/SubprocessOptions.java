package io.asyncio4j.process;

import io.asyncio4j.stream.StreamReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of a child process: the keywords of asyncio's {@code create_subprocess_exec} (and of
 * {@code subprocess.Popen} that it passes on). Start from {@link #defaults()} and change what you
 * need.
 *
 * {@snippet :
 * var options = SubprocessOptions.defaults()
 *         .withStdout(Redirect.PIPE)
 *         .withCwd(Path.of("/tmp"))
 *         .withEnvironmentVariable("LC_ALL", "C");
 * }
 *
 * @param stdin where standard input comes from ({@link Redirect#INHERIT} by default, as asyncio)
 * @param stdout where standard output goes ({@link Redirect#INHERIT} by default)
 * @param stderr where standard error goes ({@link Redirect#INHERIT} by default; {@link Redirect#STDOUT}
 *     merges it into standard output)
 * @param cwd the working directory, or {@code null} for the parent's
 * @param environment the whole environment, or {@code null} for the parent's
 * @param extraEnvironment variables added to (or replacing some of) that environment
 * @param limit the buffer limit of the {@link StreamReader}s of {@link Subprocess#stdout()} and
 *     {@link Subprocess#stderr()} (64 KiB by default)
 * @param killOnCancel whether a cancellation of a task waiting for the process (in
 *     {@link Subprocess#waitFor()} or {@link Subprocess#communicate}) kills it first; by default
 *     the process goes on running, as asyncio leaves it
 * @param newSession whether the child starts a new session (asyncio's {@code start_new_session})
 * @param processGroup the child's process group: -1 the JVM's (the default), 0 a new one of its
 *     own, or the id of a group to join (asyncio's {@code process_group})
 */
public record SubprocessOptions(Redirect stdin, Redirect stdout, Redirect stderr, Path cwd,
                                Map<String, String> environment, Map<String, String> extraEnvironment,
                                int limit, boolean killOnCancel, boolean newSession, int processGroup) {

    /** Checks the values and copies the maps. */
    public SubprocessOptions {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        if (stdin instanceof Redirect.Stdout) {
            throw new IllegalArgumentException("Redirect.STDOUT is for standard error only");
        }
        if (stdout instanceof Redirect.Stdout) {
            throw new IllegalArgumentException("Redirect.STDOUT is for standard error only");
        }
        if (stdin instanceof Redirect.File f && f.mode() != Redirect.FileMode.READ) {
            throw new IllegalArgumentException("standard input reads from a file: use Redirect.readFrom");
        }
        if (stdout instanceof Redirect.File f && f.mode() == Redirect.FileMode.READ) {
            throw new IllegalArgumentException("standard output writes to a file: use Redirect.writeTo or appendTo");
        }
        if (stderr instanceof Redirect.File f && f.mode() == Redirect.FileMode.READ) {
            throw new IllegalArgumentException("standard error writes to a file: use Redirect.writeTo or appendTo");
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (processGroup < -1) {
            throw new IllegalArgumentException("processGroup must be -1 (none), 0 (a group of its own) or a group id: "
                    + processGroup);
        }
        if (newSession && processGroup >= 0) {
            throw new IllegalArgumentException("a new session is a new process group already: "
                    + "choose withNewSession or withProcessGroup");
        }
        environment = environment == null ? null : copy(environment);
        extraEnvironment = extraEnvironment == null ? Map.of() : copy(extraEnvironment);
    }

    private static Map<String, String> copy(Map<String, String> m) {
        Map<String, String> c = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.entrySet()) {
            String k = Objects.requireNonNull(e.getKey(), "environment variable name");
            String v = Objects.requireNonNull(e.getValue(), "value of " + k);
            if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0 || v.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid environment variable: " + k);
            }
            c.put(k, v);
        }
        return java.util.Collections.unmodifiableMap(c);
    }

    /** {@return the defaults: every stream inherited, the parent's directory and environment} */
    public static SubprocessOptions defaults() {
        return new SubprocessOptions(Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT, null, null, Map.of(),
                StreamReader.DEFAULT_LIMIT, false, false, -1);
    }

    /**
     * {@return these options with standard input from elsewhere}
     * @param redirect {@link Redirect#PIPE}, {@link Redirect#DEVNULL}, {@link Redirect#INHERIT}
     *     or {@link Redirect#readFrom}
     */
    public SubprocessOptions withStdin(Redirect redirect) {
        return new SubprocessOptions(redirect, stdout, stderr, cwd, environment, extraEnvironment, limit, killOnCancel,
                newSession, processGroup);
    }

    /**
     * {@return these options with standard output elsewhere}
     * @param redirect {@link Redirect#PIPE}, {@link Redirect#DEVNULL}, {@link Redirect#INHERIT},
     *     {@link Redirect#writeTo} or {@link Redirect#appendTo}
     */
    public SubprocessOptions withStdout(Redirect redirect) {
        return new SubprocessOptions(stdin, redirect, stderr, cwd, environment, extraEnvironment, limit, killOnCancel,
                newSession, processGroup);
    }

    /**
     * {@return these options with standard error elsewhere}
     * @param redirect as for standard output, or {@link Redirect#STDOUT}
     */
    public SubprocessOptions withStderr(Redirect redirect) {
        return new SubprocessOptions(stdin, stdout, redirect, cwd, environment, extraEnvironment, limit, killOnCancel,
                newSession, processGroup);
    }

    /**
     * {@return these options with a working directory}
     * @param dir the directory, or {@code null} for the parent's
     */
    public SubprocessOptions withCwd(Path dir) {
        return new SubprocessOptions(stdin, stdout, stderr, dir, environment, extraEnvironment, limit, killOnCancel,
                newSession, processGroup);
    }

    /**
     * {@return these options with a whole new environment (asyncio's {@code env=})} Variables added
     * with {@link #withEnvironmentVariable} still apply on top.
     * @param env the variables
     */
    public SubprocessOptions withEnvironment(Map<String, String> env) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, Objects.requireNonNull(env, "env"),
                extraEnvironment, limit, killOnCancel, newSession, processGroup);
    }

    /**
     * {@return these options with one more variable in the environment (the parent's, or the one
     * given to {@link #withEnvironment})}
     * @param name the variable
     * @param value its value
     */
    public SubprocessOptions withEnvironmentVariable(String name, String value) {
        Map<String, String> extra = new LinkedHashMap<>(extraEnvironment);
        extra.put(name, value);
        return new SubprocessOptions(stdin, stdout, stderr, cwd, environment, extra, limit, killOnCancel,
                newSession, processGroup);
    }

    /**
     * {@return these options with another reader limit}
     * @param bytes the limit of the stdout and stderr readers
     */
    public SubprocessOptions withLimit(int bytes) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, environment, extraEnvironment, bytes, killOnCancel,
                newSession, processGroup);
    }

    /**
     * {@return these options with the process killed when a task waiting for it is cancelled}
     * @param kill whether to kill it
     */
    public SubprocessOptions withKillOnCancel(boolean kill) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, environment, extraEnvironment, limit, kill,
                newSession, processGroup);
    }

    /**
     * Starts the child in a new session, as asyncio's {@code start_new_session=True} (setsid): it
     * leads a new session and a new process group whose id is its pid, has no controlling
     * terminal, and a Ctrl-C at the terminal no longer reaches it.
     * {@link Subprocess#sendSignalToGroup(int)} then signals it and everything it started. Needs
     * native access (see {@link Subprocesses}): without it the start fails with
     * {@link UnsupportedOperationException}.
     *
     * @param newSession whether to
     * @return the options with it
     */
    public SubprocessOptions withNewSession(boolean newSession) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, environment, extraEnvironment, limit, killOnCancel,
                newSession, processGroup);
    }

    /**
     * Puts the child in a process group, as asyncio's {@code process_group=} (setpgid): 0 for a
     * new group of its own (whose id is its pid; {@link Subprocess#sendSignalToGroup(int)} then
     * signals the whole group), a group id to join an existing group, -1 (the default) to stay in
     * the JVM's. Needs native access, as {@link #withNewSession(boolean)}.
     *
     * @param pgid 0, a group id, or -1
     * @return the options with it
     */
    public SubprocessOptions withProcessGroup(int pgid) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, environment, extraEnvironment, limit, killOnCancel,
                newSession, pgid);
    }

    /**
     * {@return the environment the child gets: the parent's or the given one, plus the extra variables}
     */
    public Map<String, String> childEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(environment != null ? environment : System.getenv());
        env.putAll(extraEnvironment);
        return env;
    }
}
