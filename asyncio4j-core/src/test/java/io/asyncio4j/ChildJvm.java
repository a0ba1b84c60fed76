package io.asyncio4j;

import io.asyncio4j.internal.task.Drivers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: runs {@link ChildProcessMain} in a child JVM with this test's class path, on the
 * same scheduler path as the test itself (the fast path's JVM option is passed only when the test
 * JVM has it), and collects its standard output line by line.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().start(this::readOutput);
    }

    /**
     * Starts a scenario of {@link ChildProcessMain}.
     *
     * @param scenario the scenario name
     * @param jvmOptions extra JVM options
     * @return the running child
     * @throws IOException if the JVM cannot be started
     */
    static ChildJvm start(String scenario, String... jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Drivers.mode().equals("fast")) {
            cmd.add("--add-opens");
            cmd.add("java.base/java.lang=ALL-UNNAMED");
        }
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildProcessMain.class.getName());
        cmd.add(scenario);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return new ChildJvm(pb.start());
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    /**
     * Waits until the child has printed a line.
     *
     * @param line the line
     * @param timeoutMillis how long to wait
     * @return whether it was printed in time
     * @throws InterruptedException if interrupted
     */
    boolean awaitLine(String line, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lines) {
            while (!lines.contains(line)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
            return true;
        }
    }

    /**
     * Sends SIGINT to the child, as Ctrl-C does.
     *
     * @throws IOException if {@code kill} cannot run
     * @throws InterruptedException if interrupted
     */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -INT failed");
        }
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeoutMillis how long to wait
     * @return its exit status
     * @throws InterruptedException if interrupted
     */
    int exitCode(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child JVM did not exit; output so far: " + output());
        }
        reader.join(timeoutMillis);
        return process.exitValue();
    }

    /** {@return what the child printed so far} */
    List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
