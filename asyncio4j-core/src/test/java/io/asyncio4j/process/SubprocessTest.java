package io.asyncio4j.process;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static io.asyncio4j.Asyncio.timeout;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.internal.process.Spawning;
import io.asyncio4j.testing.AsyncioTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * asyncio.subprocess with real programs (sh, cat, head, python3 where there is one), on whichever
 * mechanism the suite's JVM uses: posix_spawn with native calls enabled (the fast-scheduler run),
 * the JDK's ProcessBuilder without (the compat run).
 */
class SubprocessTest {
    @TempDir
    Path dir;

    static final SubprocessOptions PIPES = SubprocessOptions.defaults()
            .withStdin(Redirect.PIPE).withStdout(Redirect.PIPE).withStderr(Redirect.PIPE);

    static boolean nativeChildren() {
        return Spawning.mechanism().equals("native");
    }

    /** asyncio's return code of a death by a signal; the JDK's 128 + N without native calls. */
    static int killedBy(int signal) {
        return nativeChildren() ? -signal : 128 + signal;
    }

    static Subprocess sh(String script, SubprocessOptions options) throws IOException {
        return Subprocesses.createSubprocessShell(script, options);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void theSuiteUsesTheMechanismItWasConfiguredFor() {
        String expected = System.getProperty("asyncio4j.expectedProcesses");
        assumeTrue(expected != null, "not run by the build");
        assertEquals(expected, Spawning.mechanism(), "why not native: " + Spawning.jdkBecause());
    }

    // ------------------------------------------------------------------ streams

    @AsyncioTest(timeoutSeconds = 30)
    void stdoutIsReadLineByLineAsTheChildWritesIt() throws IOException {
        try (Subprocess p = sh("echo one; sleep 0.2; echo two", SubprocessOptions.defaults().withStdout(Redirect.PIPE))) {
            long t0 = System.nanoTime();
            assertEquals("one\n", new String(p.stdout().readLine(), UTF_8));
            assertTrue(System.nanoTime() - t0 < 150_000_000L, "the first line arrives before the child ends");
            assertTrue(p.returncode().isEmpty(), "still running");
            assertEquals("two\n", new String(p.stdout().readLine(), UTF_8));
            assertEquals(0, p.stdout().readLine().length, "end of output");
            assertEquals(0, p.waitFor());
            assertEquals(OptionalInt.of(0), p.returncode());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void stdoutIteratesOverLinesAndReadsExactly() throws IOException {
        try (Subprocess p = sh("printf 'abcdef'; printf 'x\\ny\\nz'", SubprocessOptions.defaults().withStdout(Redirect.PIPE))) {
            assertEquals("abc", new String(p.stdout().readExactly(3), UTF_8));
            List<String> lines = new ArrayList<>();
            for (byte[] line : p.stdout()) {
                lines.add(new String(line, UTF_8));
            }
            assertEquals(List.of("defx\n", "y\n", "z"), lines);
            assertEquals(0, p.waitFor());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void communicateSendsTheInputAndReturnsBothOutputs() throws IOException {
        byte[] input = new byte[3 * 1024 * 1024 + 5];
        new SplittableRandom(7).nextBytes(input);
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("cat"), PIPES)) {
            Subprocess.Output out = p.communicate(input);
            assertArrayEquals(input, out.stdout());
            assertArrayEquals(new byte[0], out.stderr());
            assertEquals(0, out.returncode());
        }
    }

    @AsyncioTest(timeoutSeconds = 60)
    void communicateReadsBothPipesAtOnceSoAChildFillingBothNeverDeadlocks() throws IOException {
        int size = 100 * 1024 * 1024;
        try (Subprocess p = sh("head -c " + size + " /dev/zero & head -c " + size + " /dev/zero >&2; wait",
                SubprocessOptions.defaults().withStdout(Redirect.PIPE).withStderr(Redirect.PIPE))) {
            Subprocess.Output out = p.communicate();
            assertEquals(size, out.stdout().length);
            assertEquals(size, out.stderr().length);
            assertEquals(0, out.returncode());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void stdinWritesWaitForTheChildInDrainAndTheOutputFollows() throws IOException {
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("cat"), PIPES)) {
            Task<Long> reader = createTask(() -> {
                long n = 0;
                while (true) {
                    byte[] b = p.stdout().read(65536);
                    if (b.length == 0) {
                        return n;
                    }
                    n += b.length;
                }
            });
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 64; i++) {
                p.stdin().write(chunk);
                p.stdin().drain();
                assertTrue(p.stdin().transport().getWriteBufferSize() <= p.stdin().transport().getWriteBufferHigh()
                        + chunk.length, "drain() waits for the child to take the data");
            }
            p.stdin().close();
            assertEquals(64L * chunk.length, await(reader));
            assertEquals(0, p.waitFor());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void drainAfterTheChildExitedReportsTheBrokenPipe() throws IOException {
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("true"), PIPES)) {
            assertEquals(0, p.waitFor());
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 100; i++) { // with the JDK's pipes the failure comes from a thread
                    p.stdin().write(new byte[65536]);
                    sleep(Duration.ofMillis(10));
                    p.stdin().drain();
                }
            });
            assertTrue(e.getMessage() != null, e.toString());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void stderrMergedIntoStdoutKeepsTheOrder() throws IOException {
        try (Subprocess p = sh("echo out; echo err >&2; echo out2",
                SubprocessOptions.defaults().withStdout(Redirect.PIPE).withStderr(Redirect.STDOUT))) {
            Subprocess.Output out = p.communicate();
            assertEquals("out\nerr\nout2\n", out.stdoutText());
            assertNull(out.stderr());
            assertThrows(IllegalStateException.class, p::stderr, "stderr is no pipe of its own");
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void devnullAndFilesAsStreams() throws IOException {
        Path in = Files.writeString(dir.resolve("in.txt"), "from a file\n");
        Path out = dir.resolve("out.txt");
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("cat"), SubprocessOptions.defaults()
                .withStdin(Redirect.readFrom(in)).withStdout(Redirect.writeTo(out)).withStderr(Redirect.DEVNULL))) {
            assertEquals(0, p.waitFor());
        }
        assertEquals("from a file\n", Files.readString(out));
        try (Subprocess p = sh("echo more", SubprocessOptions.defaults().withStdout(Redirect.appendTo(out)))) {
            assertEquals(0, p.waitFor());
        }
        assertEquals("from a file\nmore\n", Files.readString(out));
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("cat"), SubprocessOptions.defaults()
                .withStdin(Redirect.DEVNULL).withStdout(Redirect.PIPE))) {
            assertEquals(0, p.communicate().stdout().length, "DEVNULL input is empty");
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void workingDirectoryAndEnvironment() throws IOException {
        SubprocessOptions o = SubprocessOptions.defaults().withStdout(Redirect.PIPE).withCwd(dir)
                .withEnvironmentVariable("ASYNCIO4J_TEST", "extended");
        try (Subprocess p = sh("pwd; echo $ASYNCIO4J_TEST; echo ${HOME:+home}", o)) {
            assertEquals(dir.toRealPath() + "\nextended\n" + (System.getenv("HOME") != null ? "home\n" : "\n"),
                    p.communicate().stdoutText());
        }
        SubprocessOptions replaced = SubprocessOptions.defaults().withStdout(Redirect.PIPE)
                .withEnvironment(Map.of("ONLY", "this", "PATH", "/usr/bin:/bin"));
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("env"), replaced)) {
            List<String> lines = new ArrayList<>(List.of(p.communicate().stdoutText().split("\n")));
            Collections.sort(lines);
            assertEquals(List.of("ONLY=this", "PATH=/usr/bin:/bin"), lines);
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void aLineLongerThanTheLimitFailsAsInAsyncio() throws IOException {
        try (Subprocess p = sh("head -c 5000 /dev/zero | tr '\\0' a; echo",
                SubprocessOptions.defaults().withStdout(Redirect.PIPE).withLimit(1024))) {
            assertThrows(io.asyncio4j.stream.LimitOverrunError.class, () -> p.stdout().readLine());
        }
    }

    // ------------------------------------------------------------------ failures to start

    @AsyncioTest(timeoutSeconds = 30)
    void aMissingProgramOrDirectoryIsNoSuchFile() throws IOException {
        assertThrows(NoSuchFileException.class,
                () -> Subprocesses.createSubprocessExec("asyncio4j-no-such-program-" + System.nanoTime()));
        assertThrows(NoSuchFileException.class,
                () -> Subprocesses.createSubprocessExec(List.of(dir.resolve("missing").toString()), PIPES));
        assertThrows(NoSuchFileException.class, () -> Subprocesses.createSubprocessExec(List.of("true"),
                SubprocessOptions.defaults().withCwd(dir.resolve("no-dir"))));
        assertThrows(NoSuchFileException.class, () -> Subprocesses.createSubprocessExec(List.of("cat"),
                SubprocessOptions.defaults().withStdin(Redirect.readFrom(dir.resolve("no-file")))));
    }

    @AsyncioTest(timeoutSeconds = 30)
    void aFileThatIsNotExecutableIsAccessDenied() throws IOException {
        Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        assertThrows(AccessDeniedException.class, () -> Subprocesses.createSubprocessExec(List.of(script.toString()), PIPES));
    }

    @Test
    void badOptionsAreRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.defaults().withStdout(Redirect.STDOUT));
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.defaults().withStdin(Redirect.writeTo(dir)));
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.defaults().withLimit(0));
        assertThrows(IllegalArgumentException.class,
                () -> SubprocessOptions.defaults().withEnvironmentVariable("A=B", "c"));
    }

    @AsyncioTest(timeoutSeconds = 30)
    void communicateWithInputNeedsAStdinPipe() throws IOException {
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("true"), SubprocessOptions.defaults())) {
            assertThrows(IllegalStateException.class, () -> p.communicate(new byte[1]));
            assertThrows(IllegalStateException.class, p::stdout);
            assertEquals(0, p.waitFor());
        }
    }

    // ------------------------------------------------------------------ exit and signals

    @AsyncioTest(timeoutSeconds = 30)
    void theExitStatusIsTheReturnCode() throws IOException {
        try (Subprocess p = sh("exit 3", SubprocessOptions.defaults())) {
            assertEquals(3, p.waitFor());
            assertEquals(3, p.waitFor(), "again, at once");
            assertEquals(OptionalInt.of(3), p.returncode());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void killAndTerminateAreReportedAsNegativeSignals() throws IOException {
        try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "30")) {
            p.kill();
            assertEquals(killedBy(9), p.waitFor());
        }
        try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "30")) {
            p.terminate();
            assertEquals(killedBy(15), p.waitFor());
            p.kill(); // after the exit: nothing
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void sendSignalByNameReachesTheChildsHandler() throws IOException {
        assumeTrue(nativeChildren(), "the JDK sends only TERM and KILL");
        try (Subprocess p = sh("trap 'echo got-usr1; exit 7' USR1; echo ready; while :; do sleep 0.05; done",
                SubprocessOptions.defaults().withStdout(Redirect.PIPE))) {
            assertEquals("ready\n", new String(p.stdout().readLine(), UTF_8));
            p.sendSignal("SIGUSR1");
            assertEquals("got-usr1\n", new String(p.stdout().readLine(), UTF_8));
            assertEquals(7, p.waitFor());
        }
        try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "30")) {
            p.sendSignal("INT");
            assertEquals(-2, p.waitFor());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void signalsOtherThanTermAndKillAreRefusedWithoutNativeCalls() throws IOException {
        assumeTrue(!nativeChildren(), "native children take every signal");
        try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "30")) {
            assertThrows(UnsupportedOperationException.class, () -> p.sendSignal("USR1"));
        }
    }

    @Test
    void unknownSignalsAreRefused() {
        io.asyncio4j.AsyncTesting.run(() -> {
            try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "30")) {
                assertThrows(IllegalArgumentException.class, () -> p.sendSignal("NOSUCH"));
                assertThrows(IllegalArgumentException.class, () -> p.sendSignal(0));
            }
        });
    }

    // ------------------------------------------------------------------ sessions and process groups

    /** {@return fields of /proc/PID/stat after the command: state is [0], ppid [1], pgrp [2], session [3]} */
    static String[] statFields(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    @AsyncioTest(timeoutSeconds = 30)
    void aNewSessionAndAProcessGroupOfItsOwn() throws IOException {
        assumeTrue(nativeChildren(), "ProcessBuilder has no setsid or setpgid");
        long me = ProcessHandle.current().pid();
        String myGroup = statFields(me)[2];
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("sleep", "30"),
                SubprocessOptions.defaults().withNewSession(true))) {
            String[] f = statFields(p.pid());
            assertEquals(Long.toString(p.pid()), f[2], "its own group");
            assertEquals(Long.toString(p.pid()), f[3], "its own session");
        }
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("sleep", "30"),
                SubprocessOptions.defaults().withProcessGroup(0))) {
            String[] f = statFields(p.pid());
            assertEquals(Long.toString(p.pid()), f[2], "its own group");
            assertEquals(statFields(me)[3], f[3], "the JVM's session");
            try (Subprocess q = Subprocesses.createSubprocessExec(List.of("sleep", "30"),
                    SubprocessOptions.defaults().withProcessGroup((int) p.pid()))) {
                assertEquals(Long.toString(p.pid()), statFields(q.pid())[2], "joined the first one's group");
            }
        }
        try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "30")) {
            assertEquals(myGroup, statFields(p.pid())[2], "by default, the JVM's group");
            assertThrows(IllegalStateException.class, () -> p.sendSignalToGroup(15));
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void aSignalToTheGroupReachesWhatTheChildStarted() throws IOException {
        assumeTrue(nativeChildren(), "ProcessBuilder has no setsid or setpgid");
        try (Subprocess p = sh("sleep 30 & echo $!; sleep 30 & echo $!; wait",
                SubprocessOptions.defaults().withStdout(Redirect.PIPE).withNewSession(true))) {
            long a = Long.parseLong(new String(p.stdout().readLine(), UTF_8).strip());
            long b = Long.parseLong(new String(p.stdout().readLine(), UTF_8).strip());
            assertTrue(alive(a) && alive(b));
            p.sendSignalToGroup(15);
            assertEquals(-15, p.waitFor());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((alive(a) || alive(b)) && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(10));
            }
            assertFalse(alive(a), "the shell's first command got the signal too");
            assertFalse(alive(b), "and the second");
            p.sendSignalToGroup(15); // an empty group: nothing
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void groupOptionsNeedNativeCalls() {
        assumeTrue(!nativeChildren(), "native children can have them");
        assertThrows(UnsupportedOperationException.class, () -> Subprocesses.createSubprocessExec(List.of("true"),
                SubprocessOptions.defaults().withNewSession(true)));
    }

    @Test
    void aNewSessionAndAGroupToJoinAreRefusedTogether() {
        assertThrows(IllegalArgumentException.class,
                () -> SubprocessOptions.defaults().withProcessGroup(0).withNewSession(true));
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.defaults().withProcessGroup(-2));
    }

    // ------------------------------------------------------------------ cancellation and cleanup

    @AsyncioTest(timeoutSeconds = 30)
    void aCancelledWaitLeavesTheChildRunningAsAsyncioDoes() throws IOException {
        Subprocess p = Subprocesses.createSubprocessExec("sleep", "30");
        assertThrows(TimeoutError.class, () -> {
            try (var _ = timeout(Duration.ofMillis(50))) {
                p.waitFor();
            }
        });
        assertTrue(p.returncode().isEmpty());
        assertTrue(alive(p.pid()));
        p.close(); // kills and reaps it
        assertEquals(OptionalInt.of(killedBy(9)), p.returncode());
        assertFalse(alive(p.pid()));
    }

    @AsyncioTest(timeoutSeconds = 30)
    void killOnCancelKillsTheChildOfACancelledWaitOrCommunicate() throws IOException {
        SubprocessOptions o = PIPES.withKillOnCancel(true);
        try (Subprocess p = Subprocesses.createSubprocessExec(List.of("sleep", "30"), o)) {
            Task<Integer> waiter = createTask(p::waitFor);
            sleep(Duration.ofMillis(20));
            waiter.cancel();
            assertThrows(CancelledError.class, () -> await(waiter));
            assertEquals(killedBy(9), p.waitFor());
        }
        try (Subprocess p = sh("while :; do echo output; sleep 0.01; done", o)) {
            assertThrows(TimeoutError.class, () -> {
                try (var _ = timeout(Duration.ofMillis(100))) {
                    p.communicate("input".getBytes(UTF_8));
                }
            });
            assertEquals(killedBy(9), p.waitFor());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void closeKillsARunningChildAndWaitsForIt() throws IOException {
        Subprocess p = sh("echo started; exec sleep 30", PIPES);
        assertEquals("started\n", new String(p.stdout().readLine(), UTF_8));
        p.close();
        assertEquals(OptionalInt.of(killedBy(9)), p.returncode());
        assertFalse(alive(p.pid()));
        p.close(); // idempotent
    }

    @AsyncioTest(timeoutSeconds = 30)
    void aTaskCancelledWhileReadingLeavesNothingBehindOnceClosed() throws IOException {
        Subprocess p = sh("while :; do echo line; done", PIPES);
        Task<Void> reader = createTask(() -> {
            while (true) {
                p.stdout().readLine();
            }
        });
        sleep(Duration.ofMillis(30));
        reader.cancel();
        assertThrows(CancelledError.class, () -> await(reader));
        p.close();
        assertEquals(OptionalInt.of(killedBy(9)), p.returncode());
    }

    // ------------------------------------------------------------------ many at once

    @AsyncioTest(timeoutSeconds = 30)
    void sleepsRunConcurrently() throws IOException {
        long t0 = System.nanoTime();
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(createTask(() -> {
                try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "0.5")) {
                    return p.waitFor();
                }
            }));
        }
        for (Task<Integer> t : tasks) {
            assertEquals(0, await(t));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2_500, "ten half-second sleeps took " + ms + " ms");
    }

    // The loop's deadlock detection (on in every @AsyncioTest) gives other threads 1 s: a child's
    // exit and its pipes are reported by another thread, and must count as wake-ups to come.
    @AsyncioTest(timeoutSeconds = 30)
    void awaitingAChildForLongerThanTheDeadlockGraceIsNoDeadlock() throws IOException {
        try (Subprocess p = Subprocesses.createSubprocessExec("sleep", "1.6")) {
            assertEquals(0, p.waitFor());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void readingASilentChildsOutputForLongerThanTheDeadlockGraceIsNoDeadlock() throws IOException {
        try (Subprocess p = sh("sleep 1.6; echo late", PIPES)) {
            assertEquals("late\n", new String(p.stdout().read(), UTF_8));
            assertEquals(0, p.waitFor());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void writingToAChildThatReadsLateIsNoDeadlock() throws IOException {
        try (Subprocess p = sh("sleep 1.6; cat > /dev/null", PIPES)) {
            p.stdin().write(new byte[1024 * 1024]); // more than the pipe holds: drain waits for the child
            p.stdin().drain();
            p.stdin().close();
            assertEquals(0, p.waitFor());
        }
    }

    @AsyncioTest(timeoutSeconds = 30)
    void aPipelineOfTwoProcessesFedByTheLoop() throws IOException {
        try (Subprocess gen = sh("seq 20000 -1 1", PIPES); Subprocess sort = Subprocesses.createSubprocessExec(
                List.of("sort", "-n"), PIPES.withEnvironmentVariable("LC_ALL", "C"))) {
            Task<Void> pump = createTask(() -> {
                for (byte[] line : gen.stdout()) {
                    sort.stdin().write(line);
                    sort.stdin().drain();
                }
                sort.stdin().close();
            });
            byte[] sorted = sort.stdout().read(); // to the end: the pump closes sort's input
            await(pump);
            assertEquals(0, gen.waitFor());
            assertEquals(0, sort.waitFor());
            String[] lines = new String(sorted, UTF_8).split("\n");
            assertEquals(20000, lines.length);
            assertEquals("1", lines[0]);
            assertEquals("20000", lines[19999]);
        }
    }

    @AsyncioTest(timeoutSeconds = 60)
    void twoHundredChildrenSomeKilledSomeAbandonedLeaveNoDescriptorAndNoZombie() throws Exception {
        ProcessChurn.run(200, 16);
    }

    // ------------------------------------------------------------------ the low-level layer

    @AsyncioTest(timeoutSeconds = 30)
    void theProtocolSeesPipeDataThenEachPipeLostThenTheExitThenConnectionLost() throws IOException {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        io.asyncio4j.Future<Void> done = io.asyncio4j.Asyncio.getRunningLoop().createFuture();
        StringBuilder out = new StringBuilder();
        SubprocessTransport t = Subprocesses.subprocessShell(() -> new SubprocessProtocol() {
            @Override
            public void connectionMade(SubprocessTransport transport) {
                events.add("made");
            }

            @Override
            public void pipeDataReceived(int fd, ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                if (fd == 1) {
                    out.append(new String(b, UTF_8));
                }
            }

            @Override
            public void pipeConnectionLost(int fd, Throwable error) {
                events.add("lost " + fd);
            }

            @Override
            public void processExited() {
                events.add("exited");
            }

            @Override
            public void connectionLost(Throwable error) {
                events.add("connectionLost");
                done.setResult(null);
            }
        }, "echo hello; exit 4", SubprocessOptions.defaults().withStdout(Redirect.PIPE).withStderr(Redirect.PIPE));
        await(done);
        assertEquals("hello\n", out.toString());
        assertEquals("made", events.get(0));
        assertEquals("connectionLost", events.get(events.size() - 1));
        assertTrue(events.containsAll(List.of("lost 1", "lost 2", "exited")), events.toString());
        assertEquals(OptionalInt.of(4), t.getReturncode());
        assertTrue(t.getPid() > 0);
        assertNull(t.getPipeTransport(0), "stdin is inherited");
        t.close();
    }
}
