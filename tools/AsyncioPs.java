import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * asyncio 3.14's {@code python -m asyncio ps PID} and {@code pstree PID} for a JVM running
 * asyncio4j loops, without restarting it and with nothing set up in it beforehand: the JDK's
 * {@code jcmd} starts a JFR recording in the target with asyncio4j's {@code io.asyncio4j.LoopSnapshot}
 * event alone enabled, stops it into a file, and this program prints the snapshots it holds.
 * The target pays nothing until then: the event is off, and JFR starts only when asked.
 *
 * <p>A single-file program on the JDK alone: {@code java AsyncioPs.java ps|pstree|stacks PID}
 * (the project's launcher runs it as {@code ./asyncio4j ps PID}). Exit status: 0 with the text on
 * standard output; 1 when the JVM cannot be reached or runs no asyncio4j loop; 2 on a usage error.
 */
public final class AsyncioPs {
    private static final String EVENT = "io.asyncio4j.LoopSnapshot";
    private static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="asyncio4j ps" description="asyncio4j's loop snapshots alone">
              <event name="io.asyncio4j.LoopSnapshot">
                <setting name="enabled">true</setting>
                <setting name="period">endChunk</setting>
              </event>
            </configuration>
            """;

    private AsyncioPs() {
    }

    /**
     * Prints the loops of the JVM named by its process id.
     *
     * @param args {@code ps}, {@code pstree} or {@code stacks}, then the process id
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !List.of("ps", "pstree", "stacks").contains(args[0]) || !args[1].matches("[0-9]+")) {
            System.err.println("usage: AsyncioPs ps|pstree|stacks PID");
            System.exit(2);
        }
        String field = switch (args[0]) {
            case "ps" -> "table";
            case "pstree" -> "tree";
            default -> "stacks";
        };
        String pid = args[1];
        Path dir = Files.createTempDirectory("asyncio4j-ps");
        try {
            Path settings = dir.resolve("asyncio4j-ps.jfc");
            Files.writeString(settings, SETTINGS);
            Path out = dir.resolve("snapshot.jfr");
            // the target writes the file: let it, whichever user's umask made the folder
            dir.toFile().setWritable(true, false);
            String name = "asyncio4j-ps-" + ProcessHandle.current().pid();
            jcmd(pid, "JFR.start", "name=" + name, "settings=" + settings);
            jcmd(pid, "JFR.stop", "name=" + name, "filename=" + out);
            List<RecordedEvent> snapshots = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(out)) {
                if (e.getEventType().getName().equals(EVENT)) {
                    snapshots.add(e);
                }
            }
            if (snapshots.isEmpty()) {
                fail("JVM " + pid + " has no running asyncio4j loop");
            }
            snapshots.sort(Comparator.comparing((RecordedEvent e) -> e.getString("loop")));
            StringBuilder sb = new StringBuilder();
            for (RecordedEvent e : snapshots) {
                sb.append(sb.isEmpty() ? "" : "\n").append(e.getString(field));
            }
            System.out.print(sb);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Runs the JDK's jcmd on the target; fails with its output when it does not succeed. */
    private static void jcmd(String pid, String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("jcmd " + String.join(" ", command) + " did not finish within 60 s");
        }
        // jcmd exits 0 even when the target refuses the command: its output says so
        if (p.exitValue() != 0 || output.contains("Exception") || output.contains("Could not")) {
            fail("cannot reach JVM " + pid + " (is it a JVM of this user, still running?): " + output.strip());
        }
    }

    private static void fail(String message) {
        System.err.println("asyncio4j ps: " + message);
        System.exit(1);
    }
}
