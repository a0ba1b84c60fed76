package io.asyncio4j.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.internal.task.Drivers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ./asyncio4j ps PID} and {@code pstree PID}: a running JVM's loops, seen from another process. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PsFromOutsideTest {
    /** The tool as the launcher runs it: a single-file program in the repository's tools folder. */
    private static final Path TOOL = Path.of("..", "tools", "AsyncioPs.java").toAbsolutePath().normalize();

    private record Outcome(int exit, String out, String err) {
    }

    @Test
    void psPrintsEveryTaskOfTheOtherJvmWithWhatItWaitsOnAndPstreeItsAwaitTree() throws Exception {
        Process target = start("loop");
        try {
            Outcome ps = tool("ps", target.pid());
            assertEquals(0, ps.exit(), ps.err());
            String table = ps.out();
            assertTrue(table.startsWith("loop main: 5 tasks\n"), table);
            assertTrue(table.lines().anyMatch(l -> l.contains("holder") && l.contains("<Event unset waiters=1>")), table);
            assertTrue(table.lines().anyMatch(l -> l.contains("fetch-sleeping") && l.contains("sleep, ")), table);
            assertTrue(table.lines().anyMatch(l -> l.contains("fetch-locked") && l.contains("held by")
                    && l.contains("holder")), table);
            assertTrue(table.lines().anyMatch(l -> l.contains("crawler") && l.contains("gather of 2")), table);

            Outcome tree = tool("pstree", target.pid());
            assertEquals(0, tree.exit(), tree.err());
            List<String> lines = tree.out().lines().toList();
            assertEquals("loop main", lines.get(0), tree.out());
            int crawler = indexOf(lines, "crawler (waiting: gather of 2");
            assertTrue(crawler > 0, tree.out());
            // the fetches are printed under the crawler that awaits them, one level deeper
            assertTrue(lines.get(crawler + 1).matches("[│ ]   [├└]── #\\d+ fetch-sleeping .*"), tree.out());
            assertTrue(lines.get(crawler + 2).matches("[│ ]   [├└]── #\\d+ fetch-locked .*"), tree.out());

            Outcome stacks = tool("stacks", target.pid());
            assertEquals(0, stacks.exit(), stacks.err());
            assertTrue(stacks.out().contains("PsTargetMain"), "the tasks' own frames: " + stacks.out());
        } finally {
            target.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJvmWithoutLoopsIsReportedAsSuchWithExitStatusOne() throws Exception {
        Process target = start("none");
        try {
            Outcome ps = tool("ps", target.pid());
            assertEquals(1, ps.exit(), ps.out() + ps.err());
            assertTrue(ps.err().contains("has no running asyncio4j loop"), ps.err());
        } finally {
            target.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessThatIsNotAJvmCannotBeAttachedAndAMissingPidIsAUsageError() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Outcome ps = tool("ps", sleeper.pid());
            assertEquals(1, ps.exit(), ps.out() + ps.err());
            assertTrue(ps.err().contains("cannot reach JVM " + sleeper.pid()), ps.err());
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Outcome usage = run(List.of("ps"));
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("usage: AsyncioPs ps|pstree|stacks PID"), usage.err());
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static Process start(String mode) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        if (Drivers.mode().equals("fast")) {
            cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PsTargetMain.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertEquals("ready", ready);
        return p;
    }

    private static Outcome tool(String op, long pid) throws Exception {
        return run(List.of(op, Long.toString(pid)));
    }

    private static Outcome run(List<String> args) throws Exception {
        assertTrue(Files.isRegularFile(TOOL), TOOL.toString());
        List<String> cmd = new ArrayList<>(List.of(java(), TOOL.toString()));
        cmd.addAll(args);
        Path out = Files.createTempFile("asyncio4j-ps", ".out");
        Path err = Files.createTempFile("asyncio4j-ps", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the tool did not finish within 60 s: " + Files.readString(err));
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
