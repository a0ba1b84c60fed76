package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.getRunningLoop;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.Server;
import java.time.Duration;

/**
 * A server that runs out of file descriptors (EMFILE on accept) reports it once and stops
 * accepting for a second, as asyncio does, instead of spinning on a listener that stays ready;
 * once descriptors are free again it accepts the waiting connection. The server runs in a child
 * JVM whose descriptor limit is small (bash's {@code ulimit -n}), so that this JVM is unaffected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AcceptExhaustionTest {

    /**
     * The child: starts a server, prints its port, uses up every descriptor, prints "full",
     * counts accept failures for 600 ms once the parent connected (it then sends a line),
     * frees the descriptors and prints the count once the connection was served.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Asyncio.run(() -> {
                int[] failures = {0};
                getRunningLoop().setExceptionHandler((loop, context) -> {
                    if (context.message().contains("accept")) {
                        failures[0]++;
                    }
                });
                int[] accepted = {0};
                io.asyncio4j.Future<Void> served = Asyncio.createFuture();
                try (Server server = Streams.startServer((r, w) -> {
                    w.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    w.close();
                    if (++accepted[0] == 2) {
                        served.setResult(null);
                    }
                }, "127.0.0.1", 0)) {
                    // Warm up every path used while no descriptor is left: loading a class from a
                    // directory on the class path needs one.
                    Streams.Connection own = Streams.openConnection("127.0.0.1", server.port());
                    own.reader().read();
                    own.close();
                    Asyncio.toThread(() -> null);
                    io.asyncio4j.Future<Void> done = Asyncio.createFuture();
                    done.setResult(null);
                    Asyncio.waitFor(done, java.time.Duration.ofSeconds(1));
                    sleep(Duration.ofMillis(1));
                    getRunningLoop().callExceptionHandler(io.asyncio4j.ExceptionContext.of("warm-up",
                            new IOException("warm-up")));
                    System.out.println(server.port());
                    List<FileChannel> fillers = new ArrayList<>();
                    try {
                        while (true) {
                            fillers.add(FileChannel.open(Path.of("/dev/null")));
                        }
                    } catch (IOException exhausted) {
                        // every descriptor is taken
                    }
                    System.out.println("full");
                    Asyncio.toThread(parent::readLine); // the parent connected
                    sleep(Duration.ofMillis(600));
                    int during = failures[0];
                    for (FileChannel f : fillers) {
                        f.close();
                    }
                    Asyncio.waitFor(served, java.time.Duration.ofSeconds(5));
                    System.out.println("failures " + during);
                    server.closeClients();
                }
                return null;
            });
        }
    }

    @Test
    void runningOutOfDescriptorsIsReportedOnceThenAcceptingResumes() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the child runs on the same scheduler as this suite
        String command = "ulimit -n 256 && exec \"$0\" --add-opens java.base/java.lang=ALL-UNNAMED "
                + "-Dasyncio4j.scheduler=\"$3\" -cp \"$1\" \"$2\"";
        String classPath = System.getProperty("java.class.path");
        Process child = new ProcessBuilder("bash", "-c", command, java, classPath, Child.class.getName(),
                io.asyncio4j.internal.task.Drivers.mode())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = child.inputReader(StandardCharsets.UTF_8);
            int port = Integer.parseInt(out.readLine().trim());
            assertEquals("full", out.readLine());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                child.outputWriter(StandardCharsets.UTF_8).append("go\n").flush();
                String greeting = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertEquals("hello", greeting, "the connection was accepted once descriptors were free");
            }
            String report = out.readLine();
            assertTrue(report != null && report.startsWith("failures "), "the child's report: " + report);
            int failures = Integer.parseInt(report.substring("failures ".length()));
            // a spinning acceptor would fail thousands of times in 600 ms
            assertTrue(failures >= 1 && failures <= 2, "accept failed " + failures + " times in 600 ms");
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly();
        }
    }
}
