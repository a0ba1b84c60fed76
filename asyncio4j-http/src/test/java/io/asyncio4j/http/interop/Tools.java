package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finding and running the real clients and servers the interop tests talk to. */
final class Tools {
    private Tools() {
    }

    /** {@return the tool's path}; skips the test with a clear message when it is missing */
    static String require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/sbin"}) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        assumeTrue(false, tool + " is not installed (Debian: apt-get install " + debianPackage
                + "; .ci/run installs it): skipping");
        return null;
    }

    /** The result of a process. */
    record Run(int exit, String out) {
    }

    /** Runs a command to its end (bounded by the timeout) and returns its exit status and output. */
    static Run run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        return run(timeoutSeconds, null, cmd);
    }

    static Run run(long timeoutSeconds, Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try {
            out = p.getInputStream().readNBytes(16 * 1024 * 1024);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IOException("timed out after " + timeoutSeconds + " s: " + Arrays.toString(cmd));
            }
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static List<String> list(String... parts) {
        return new ArrayList<>(Arrays.asList(parts));
    }
}
