package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.stream.Streams;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's tinyproxy, a real forward proxy with CONNECT, started for one test on a free loopback
 * port with a generated configuration in a folder of its own, in the foreground ({@code -d}), and
 * stopped when the test closes it. The test is skipped when tinyproxy is not installed (.ci/run
 * installs it). It names itself {@value #VIA} in the {@code Via} field it adds to what it forwards.
 */
final class TinyProxy implements AutoCloseable {
    static final String VIA = "asyncio4j-test-proxy";

    final int port;
    private final Path dir;
    private final Process process;

    private TinyProxy(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Starts tinyproxy. Suspends until it accepts connections.
     *
     * @param basicAuth {@code "user password"} to require credentials, or {@code null}
     * @param connectPorts the ports CONNECT may reach (none: CONNECT is refused for every port but these)
     */
    static TinyProxy start(String basicAuth, int... connectPorts) throws Exception {
        String bin = find();
        Path dir = Files.createTempDirectory("tinyproxy");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> conf = new ArrayList<>(List.of("Port " + port, "Listen 127.0.0.1", "Timeout 30",
                "Allow 127.0.0.1", "MaxClients 50", "LogLevel Info", "ViaProxyName \"" + VIA + "\""));
        // without ConnectPort lines tinyproxy tunnels to every port: a test says which it may
        conf.add("ConnectPort 1");
        for (int p : connectPorts) {
            conf.add("ConnectPort " + p);
        }
        if (basicAuth != null) {
            conf.add("BasicAuth " + basicAuth);
        }
        Path file = dir.resolve("tinyproxy.conf");
        Files.write(file, conf);
        Process p = new ProcessBuilder(bin, "-d", "-c", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tinyproxy.log").toFile()).start();
        TinyProxy proxy = new TinyProxy(port, dir, p);
        for (int i = 0; i < 250; i++) {
            try (Streams.Connection c = Streams.openConnection("127.0.0.1", port)) {
                return proxy;
            } catch (IOException e) {
                if (!p.isAlive()) {
                    break;
                }
                Asyncio.sleep(Duration.ofMillis(20));
            }
        }
        String log = proxy.log();
        proxy.close();
        throw new IllegalStateException("tinyproxy did not come up: " + log);
    }

    private static String find() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "tinyproxy"))) {
                return Path.of(d, "tinyproxy").toString();
            }
        }
        for (String d : new String[] {"/usr/bin", "/usr/sbin"}) {
            if (Files.isExecutable(Path.of(d, "tinyproxy"))) {
                return Path.of(d, "tinyproxy").toString();
            }
        }
        assumeTrue(false, "tinyproxy is not installed (Debian: apt-get install tinyproxy; .ci/run installs it): "
                + "skipping");
        return null;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@return what tinyproxy logged so far (each request it served, for one)} */
    String log() {
        try {
            return Files.readString(dir.resolve("tinyproxy.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        Asyncio.toThread(() -> {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
            return null;
        });
    }
}
