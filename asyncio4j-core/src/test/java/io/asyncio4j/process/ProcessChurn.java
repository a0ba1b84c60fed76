package io.asyncio4j.process;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.sync.Semaphore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Many children, a quarter of them killed mid-output, a quarter whose reader task is cancelled:
 * afterwards the JVM holds as many descriptors as before and has no child left, zombie or not.
 * Shared by the default suite's short run and the stress run of 2,000.
 */
final class ProcessChurn {
    private ProcessChurn() {
    }

    /** {@return the number of descriptors this JVM has open} */
    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** {@return this JVM's children still in the process table, zombies included} */
    static List<String> children() throws IOException {
        List<String> out = new ArrayList<>();
        String me = Long.toString(ProcessHandle.current().pid());
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // pid (comm) state ppid ...: comm may hold spaces, so parse after its ')'
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f[1].equals(me)) {
                    out.add(name + " " + stat.substring(stat.indexOf('('), stat.lastIndexOf(')') + 1) + " " + f[0]);
                }
            }
        }
        return out;
    }

    /**
     * Runs {@code n} children, {@code parallel} at a time, and checks that nothing is left.
     *
     * @param n how many
     * @param parallel how many at once
     */
    static void run(int n, int parallel) throws Exception {
        // warm up the shared machinery (poller, pools, JDK caches), whose descriptors stay open
        try (Subprocess p = Subprocesses.createSubprocessShell("echo warm", SubprocessTest.PIPES)) {
            p.communicate();
        }
        long fdsBefore = openFds();
        Semaphore slots = new Semaphore(parallel);
        List<Task<Void>> tasks = new ArrayList<>();
        int[] outcomes = new int[4];
        for (int i = 0; i < n; i++) {
            int kind = i % 4;
            slots.acquire();
            tasks.add(createTask(() -> {
                try {
                    one(kind);
                    outcomes[kind]++;
                } finally {
                    slots.release();
                }
            }));
        }
        for (Task<Void> t : tasks) {
            await(t);
        }
        assertEquals(n, outcomes[0] + outcomes[1] + outcomes[2] + outcomes[3]);
        long deadline = System.nanoTime() + 5_000_000_000L;
        long fdsAfter = openFds();
        List<String> left = children();
        while ((fdsAfter > fdsBefore || !left.isEmpty()) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
            fdsAfter = openFds();
            left = children();
        }
        assertEquals(fdsBefore, fdsAfter, "descriptors before and after " + n + " children");
        assertTrue(left.isEmpty(), "children left: " + left);
    }

    private static void one(int kind) throws Exception {
        switch (kind) {
            case 0 -> { // read everything
                try (Subprocess p = Subprocesses.createSubprocessShell("echo out; echo err >&2", SubprocessTest.PIPES)) {
                    Subprocess.Output o = p.communicate("in".getBytes());
                    assertEquals("out\n", o.stdoutText());
                    assertEquals(0, o.returncode());
                }
            }
            case 1 -> { // killed mid-output
                try (Subprocess p = Subprocesses.createSubprocessShell("while :; do echo more output; done",
                        SubprocessTest.PIPES)) {
                    p.stdout().readLine();
                    p.kill();
                    assertEquals(SubprocessTest.killedBy(9), p.waitFor());
                }
            }
            case 2 -> { // the reader task cancelled, the process closed by try-with-resources
                try (Subprocess p = Subprocesses.createSubprocessShell("while :; do echo more output; done",
                        SubprocessTest.PIPES)) {
                    Task<Void> reader = createTask(() -> {
                        while (true) {
                            p.stdout().read(100);
                        }
                    });
                    sleep(Duration.ofMillis(1));
                    reader.cancel();
                    try {
                        await(reader);
                    } catch (CancelledError expected) {
                        // what was asked
                    }
                }
            }
            default -> { // no pipes, the exit only
                try (Subprocess p = Subprocesses.createSubprocessExec(List.of("true"),
                        SubprocessOptions.defaults().withStdin(Redirect.DEVNULL).withStdout(Redirect.DEVNULL))) {
                    assertEquals(0, p.waitFor());
                }
            }
        }
    }
}
