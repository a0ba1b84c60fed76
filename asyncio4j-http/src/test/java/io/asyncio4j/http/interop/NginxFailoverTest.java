package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.server.GroupAppMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The multi-process shape: two instances (each a loop group of two loops, {@link GroupAppMain})
 * behind nginx with upstream keep-alive, as the README's "Scaling out" recipe configures it.
 * Under load one instance is killed (SIGKILL); nginx moves the traffic to the other, and the
 * only requests lost are those the killed instance was handling at that moment.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NginxFailoverTest {

    /** A child JVM running one instance, its stdout's {@code start}/{@code end} lines collected. */
    static final class Instance implements AutoCloseable {
        final String name;
        final int port;
        final Process process;
        final Set<String> started = ConcurrentHashMap.newKeySet();
        final Set<String> ended = ConcurrentHashMap.newKeySet();
        final List<String> lifecycle = java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);

        Instance(String name) throws IOException {
            this.name = name;
            this.port = freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), GroupAppMain.class.getName(), Integer.toString(port), name)
                    .redirectErrorStream(true).start();
            Thread.ofPlatform().daemon().start(this::read);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("start ")) {
                        started.add(line.substring(6));
                    } else if (line.startsWith("end ")) {
                        ended.add(line.substring(4));
                    } else {
                        lifecycle.add(line);
                        if (line.startsWith("(Press CTRL+C")) {
                            ready.countDown();
                        }
                    }
                }
            } catch (IOException e) {
                // the instance is gone
            }
        }

        void awaitReady() throws InterruptedException {
            assertTrue(ready.await(30, TimeUnit.SECONDS), name + " did not start: " + lifecycle);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** A status and a body. */
    record Reply(int status, String body) {
    }

    /**
     * Sends one request on a fresh connection to nginx ({@code Connection: close}) and reads the
     * reply to its end. The java.net.http client is not in this module's reads.
     */
    static Reply send(int port, String method, String target, String body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + target + " HTTP/1.1\r\nHost: app\r\nConnection: close\r\n"
                    + (method.equals("GET") ? "" : "Content-Length: " + b.length + "\r\n") + "\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int sp = reply.indexOf(' ');
            int split = reply.indexOf("\r\n\r\n");
            if (!reply.startsWith("HTTP/1.1 ") || split < 0) {
                throw new IOException("no reply: '" + reply + "'");
            }
            return new Reply(Integer.parseInt(reply.substring(sp + 1, sp + 4)), reply.substring(split + 4));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** The upstream part of the README's recipe, with the instances' ports. */
    static String nginxConf(Path prefix, int listen, int... upstreams) {
        String p = prefix.toString();
        StringBuilder servers = new StringBuilder();
        for (int u : upstreams) {
            servers.append("    server 127.0.0.1:").append(u).append(" max_fails=1 fail_timeout=10s;\n");
        }
        return "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + p + "/nginx.pid;\n"
                + "error_log " + p + "/error.log info;\n"
                + "events { worker_connections 512; }\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  client_body_temp_path " + p + "/body; proxy_temp_path " + p + "/proxy;\n"
                + "  fastcgi_temp_path " + p + "/fcgi; uwsgi_temp_path " + p + "/uwsgi; scgi_temp_path " + p
                + "/scgi;\n"
                + "  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }\n"
                + "  upstream app {\n" + servers + "    keepalive 32;\n  }\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + listen + ";\n"
                + "    location / {\n"
                + "      proxy_pass http://app;\n"
                + "      proxy_http_version 1.1;\n"
                + "      proxy_set_header Upgrade $http_upgrade;\n"
                + "      proxy_set_header Connection $connection_upgrade;\n"
                + "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                + "      proxy_connect_timeout 2s;\n"
                + "      proxy_next_upstream error timeout http_502 http_503;\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    @Test
    void killingOneInstanceMidLoadLosesOnlyItsInFlightRequestsAndNginxMovesTheRestToTheOther()
            throws Exception {
        String nginxBin = Tools.require("nginx", "nginx-light");
        Path prefix = Files.createTempDirectory("nginx-failover");
        Process nginx = null;
        try (Instance a = new Instance("a"); Instance b = new Instance("b")) {
            a.awaitReady();
            b.awaitReady();
            int port = freePort();
            Files.writeString(prefix.resolve("nginx.conf"), nginxConf(prefix, port, a.port, b.port));
            nginx = new ProcessBuilder(nginxBin, "-p", prefix.toString(), "-c", prefix + "/nginx.conf")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
            waitUntilUp(port, prefix);

            // nginx takes turns (its upstream connections are kept alive, each on one loop of its instance)
            Set<String> seen = new HashSet<>();
            for (int k = 0; k < 20; k++) {
                seen.add(send(port, "GET", "/", "").body().substring(0, 1));
            }
            assertEquals(Set.of("a", "b"), seen, "nginx spreads over both instances");

            // load: 8 clients posting work of 40 ms each, for 3 s; SIGKILL to a after 1.2 s
            Map<String, String> outcome = new ConcurrentHashMap<>();
            AtomicInteger ids = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            Set<String> sentAfterKill = ConcurrentHashMap.newKeySet();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < end) {
                        String id = Integer.toString(ids.incrementAndGet());
                        if (killed.get()) {
                            sentAfterKill.add(id);
                        }
                        try {
                            Reply r = send(port, "POST", "/work?ms=40&id=" + id, "job " + id);
                            outcome.put(id, r.status() == 200 ? r.body() : "status " + r.status());
                        } catch (IOException e) {
                            outcome.put(id, "error " + e);
                        }
                    }
                }));
            }
            Thread.sleep(1_200);
            assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(a.process.pid())).start().waitFor());
            killed.set(true);
            assertTrue(a.process.waitFor(10, TimeUnit.SECONDS));
            for (Thread t : clients) {
                t.join(20_000);
            }

            Set<String> failed = new TreeSet<>();
            int byA = 0;
            int byB = 0;
            for (Map.Entry<String, String> e : outcome.entrySet()) {
                String v = e.getValue();
                if (v.equals("a " + e.getKey())) {
                    byA++;
                } else if (v.equals("b " + e.getKey())) {
                    byB++;
                } else {
                    failed.add(e.getKey());
                }
            }
            Thread.sleep(200); // the last stdout lines of the killed instance
            Set<String> inFlightOnA = new TreeSet<>(a.started);
            inFlightOnA.removeAll(a.ended);
            // what nginx had passed to a when it died: the requests nginx logs as failed on a's address
            Set<String> passedToA = new TreeSet<>();
            java.util.regex.Pattern idOf = java.util.regex.Pattern.compile("id=(\\d+)");
            for (String line : Files.readAllLines(prefix.resolve("error.log"))) {
                if (line.contains("[error]") && line.contains("upstream: \"http://127.0.0.1:" + a.port + "/")) {
                    java.util.regex.Matcher m = idOf.matcher(line);
                    if (m.find()) {
                        passedToA.add(m.group(1));
                    }
                }
            }
            String counts = "requests " + outcome.size() + ", answered by a " + byA + ", by b " + byB
                    + ", lost " + failed.size() + " " + failed + ", in a's handlers when killed " + inFlightOnA
                    + ", failed on a in nginx's log " + passedToA;
            System.out.println("nginx failover: " + counts);
            assertEquals(ids.get(), outcome.size(), "every request has an outcome");
            assertTrue(byA > 0 && byB > 0, counts);
            assertTrue(failed.containsAll(inFlightOnA), "what a never finished was lost: " + counts);
            for (String id : failed) {
                // in a's handlers, or passed to a and not read yet (in its socket or its parser)
                assertTrue(passedToA.contains(id), "a lost request was in flight on a: " + id + ": "
                        + outcome.get(id) + "; " + counts);
                assertTrue(outcome.get(id).equals("status 502"), "nginx answers 502 for it: " + outcome.get(id));
                assertFalse(b.started.contains(id), id);
            }
            assertTrue(passedToA.containsAll(failed) && failed.containsAll(
                    passedToA.stream().filter(outcome::containsKey).filter(id -> !outcome.get(id).startsWith("b "))
                            .toList()), counts);
            assertTrue(failed.size() <= 8, "at most one request per client was in flight: " + counts);
            for (String id : sentAfterKill) {
                assertEquals("b " + id, outcome.get(id), "after the kill b answers everything: " + counts);
            }
            assertFalse(sentAfterKill.isEmpty());

            // b stops gracefully on SIGTERM
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(b.process.pid())).start().waitFor());
            assertTrue(b.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, b.process.exitValue(), b.lifecycle.toString());
            assertTrue(b.lifecycle.containsAll(List.of("shutdown", "cleanup", "runApp returned", "group closed")),
                    b.lifecycle.toString());
        } finally {
            if (nginx != null) {
                nginx.destroy();
                if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                    nginx.destroyForcibly();
                }
            }
            InteropApp.delete(prefix);
        }
    }

    private static void waitUntilUp(int port, Path prefix) throws Exception {
        for (int i = 0; i < 100; i++) {
            try {
                Reply r = send(port, "GET", "/health", "");
                if (r.status() == 200 && r.body().equals("ok")) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("nginx did not come up: " + Files.readString(prefix.resolve("error.log")));
    }
}
