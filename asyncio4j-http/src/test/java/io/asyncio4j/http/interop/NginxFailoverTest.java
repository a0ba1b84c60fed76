package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.http.server.GroupAppMain;
import io.asyncio4j.http.ws.WebSocket;
import io.asyncio4j.http.ws.WsMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The multi-process shape: two instances (each a loop group of two loops, {@link GroupAppMain})
 * behind nginx with upstream keep-alive, as the README's "Scaling out" recipe configures it.
 * Under load one instance is killed (SIGKILL); nginx moves the traffic to the other, and the
 * only requests lost are those the killed instance was handling at that moment. WebSocket
 * connections through nginx: those on the killed instance end, the others go on, and a client
 * that connects again lands on the survivor.
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

    /**
     * The test's setup: instances {@code a} and {@code b} and nginx in front of them on
     * {@link #port}, each started and answering. Closing stops nginx and kills what still runs.
     */
    static final class Cluster implements AutoCloseable {
        final Path prefix;
        final int port;
        final Instance a;
        final Instance b;
        private Process nginx;

        Cluster(String nginxBin) throws Exception {
            prefix = Files.createTempDirectory("nginx-failover");
            Instance started = null;
            try {
                started = new Instance("a");
                a = started;
                b = new Instance("b");
            } catch (IOException | RuntimeException e) {
                if (started != null) {
                    started.close();
                }
                InteropApp.delete(prefix);
                throw e;
            }
            try {
                a.awaitReady();
                b.awaitReady();
                port = freePort();
                Files.writeString(prefix.resolve("nginx.conf"), nginxConf(prefix, port, a.port, b.port));
                nginx = new ProcessBuilder(nginxBin, "-p", prefix.toString(), "-c", prefix + "/nginx.conf")
                        .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
                waitUntilUp(port, prefix);
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        /** Sends a signal to an instance ({@code KILL}, {@code TERM}). */
        static void signal(Instance i, String signal) throws Exception {
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(i.process.pid())).start()
                    .waitFor());
        }

        @Override
        public void close() throws Exception {
            try {
                if (nginx != null) {
                    nginx.destroy();
                    if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                        nginx.destroyForcibly();
                    }
                }
            } finally {
                a.close();
                b.close();
                InteropApp.delete(prefix);
            }
        }
    }

    @Test
    void killingOneInstanceMidLoadLosesOnlyItsInFlightRequestsAndNginxMovesTheRestToTheOther()
            throws Exception {
        String nginxBin = Tools.require("nginx", "nginx-light");
        try (Cluster cluster = new Cluster(nginxBin)) {
            Instance a = cluster.a;
            Instance b = cluster.b;
            Path prefix = cluster.prefix;
            int port = cluster.port;

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
            Cluster.signal(a, "KILL");
            assertTrue(a.process.waitFor(10, TimeUnit.SECONDS));
            // only now, not when kill returns: a dying JVM takes a moment to go, and a request that
            // reached it meanwhile is lost as any other in flight (seen on a loaded machine)
            killed.set(true);
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
            Cluster.signal(b, "TERM");
            assertTrue(b.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, b.process.exitValue(), b.lifecycle.toString());
            assertTrue(b.lifecycle.containsAll(List.of("shutdown", "cleanup", "runApp returned", "group closed")),
                    b.lifecycle.toString());
        }
    }

    /**
     * One WebSocket client of the test, run by a task on the clients' loop: connects through
     * nginx, reads the greeting (which instance and loop it landed on), then sends a message and
     * waits for its echo, over and over, until the connection ends. If it ended, it connects
     * again once told to and does the same. Its fields are read by the test's thread.
     */
    static final class WsClient {
        final int id;
        /** The first connection's greeting ({@code a loop 1}), then how it ended (its close code). */
        volatile String greeting;
        volatile int endCode = -1;
        volatile String endError;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger echoed = new AtomicInteger();
        /** The same for the second connection, made after the first one ended. */
        volatile String regreeting;
        volatile int reEndCode = -1;
        final AtomicInteger reEchoed = new AtomicInteger();
        volatile Throwable failure;

        WsClient(int id) {
            this.id = id;
        }

        void run(String url, AtomicBoolean reconnect) {
            try {
                try (WebSocket ws = WebSocket.connect(url)) {
                    greeting = greet(ws);
                    endCode = exchange(ws, sent, echoed);
                    endError = String.valueOf(ws.exception());
                }
                if (endCode != 1006) {
                    return; // closed by its instance's graceful shutdown: nothing to reconnect to
                }
                while (!reconnect.get()) {
                    Asyncio.sleep(Duration.ofMillis(20));
                }
                try (WebSocket ws = WebSocket.connect(url)) {
                    regreeting = greet(ws);
                    reEndCode = exchange(ws, new AtomicInteger(), reEchoed);
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        private static String greet(WebSocket ws) throws IOException {
            WsMessage m = ws.receive(Duration.ofSeconds(20));
            if (!(m instanceof WsMessage.Text t)) {
                throw new IOException("no greeting: " + m);
            }
            return t.data();
        }

        /** {@return the close code the connection ended with}; counts the messages sent and echoed */
        private int exchange(WebSocket ws, AtomicInteger sent, AtomicInteger echoed) throws IOException {
            while (true) {
                Asyncio.sleep(Duration.ofMillis(20));
                String text = "client " + id + " message " + sent.get();
                WsMessage m;
                try {
                    ws.sendText(text);
                    sent.incrementAndGet();
                    // generous: a loaded 2-core machine may be slow, but an echo never takes this long
                    m = ws.receive(Duration.ofSeconds(20));
                } catch (IOException e) {
                    // the send found the connection closing or lost: its Close message tells how it ended
                    m = ws.receive(Duration.ofSeconds(20));
                }
                switch (m) {
                    case WsMessage.Close c -> {
                        return c.code();
                    }
                    case WsMessage.Text t when t.data().equals(text) -> echoed.incrementAndGet();
                    default -> throw new IOException("client " + id + " sent '" + text + "', got " + m);
                }
            }
        }

        String instance() {
            return greeting == null ? null : greeting.substring(0, 1);
        }
    }

    @Test
    void killingOneInstanceEndsExactlyTheWebSocketsOnItWhileTheOthersGoOnAndReconnectsLandOnTheOther()
            throws Exception {
        String nginxBin = Tools.require("nginx", "nginx-light");
        try (Cluster cluster = new Cluster(nginxBin)) {
            Instance a = cluster.a;
            Instance b = cluster.b;
            String url = "ws://127.0.0.1:" + cluster.port + "/ws";
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(new WsClient(i));
            }
            AtomicBoolean reconnect = new AtomicBoolean();
            AtomicReference<Throwable> loopFailure = new AtomicReference<>();
            // the clients run on an asyncio4j loop of their own thread; this thread kills, signals and checks
            Thread loop = Thread.ofPlatform().name("ws clients").start(() -> {
                try {
                    Asyncio.run(() -> {
                        List<Task<Void>> tasks = new ArrayList<>();
                        for (WsClient c : clients) {
                            tasks.add(Asyncio.createTask("ws client " + c.id, () -> c.run(url, reconnect)));
                        }
                        Asyncio.await(Asyncio.gather(tasks));
                    });
                } catch (Throwable e) {
                    loopFailure.set(e);
                }
            });
            Supplier<String> state = () -> describe(clients) + (loopFailure.get() == null ? ""
                    : ", the loop failed: " + loopFailure.get());

            // every client connected and exchanging; nginx took turns, so both instances have some
            waitUntil(() -> clients.stream().allMatch(c -> c.echoed.get() >= 3 || c.failure != null),
                    "every client exchanges messages", state);
            assertNoFailure(clients, state);
            Set<Integer> onA = new TreeSet<>();
            Set<Integer> onB = new TreeSet<>();
            for (WsClient c : clients) {
                assertTrue(c.greeting.matches("[ab] loop [01]"), c.greeting);
                (c.instance().equals("a") ? onA : onB).add(c.id);
            }
            assertFalse(onA.isEmpty() || onB.isEmpty(), "nginx spreads the connections over both: " + state.get());

            Map<Integer, Integer> echoedAtKill = new ConcurrentHashMap<>();
            clients.forEach(c -> echoedAtKill.put(c.id, c.echoed.get()));
            Cluster.signal(a, "KILL");
            assertTrue(a.process.waitFor(10, TimeUnit.SECONDS));

            // a's connections end (nginx closes the client's side when its upstream side is gone);
            // b's go on exchanging
            waitUntil(() -> onA.stream().map(clients::get).allMatch(c -> c.endCode != -1 || c.failure != null),
                    "the connections on a end", state);
            waitUntil(() -> onB.stream().map(clients::get).allMatch(c -> c.echoed.get() >= echoedAtKill.get(c.id) + 10
                    || c.failure != null || c.endCode != -1), "the connections on b go on", state);
            assertNoFailure(clients, state);
            Set<Integer> ended = new TreeSet<>();
            int unanswered = 0;
            for (WsClient c : clients) {
                if (c.endCode != -1) {
                    ended.add(c.id);
                    assertEquals(1006, c.endCode, "ended without a close frame: " + state.get());
                    unanswered += c.sent.get() - c.echoed.get();
                }
            }
            assertEquals(onA, ended, "exactly the connections on a ended: " + state.get());
            int echoedOnBAfterKill = onB.stream().mapToInt(id -> clients.get(id).echoed.get() - echoedAtKill.get(id))
                    .sum();

            // reconnecting through nginx lands on b (a's address is refused, and nginx passes the handshake on)
            reconnect.set(true);
            waitUntil(() -> onA.stream().map(clients::get).allMatch(c -> c.reEchoed.get() >= 10 || c.failure != null
                    || c.reEndCode != -1), "the reconnected clients exchange messages", state);
            assertNoFailure(clients, state);
            for (int id : onA) {
                assertTrue(clients.get(id).regreeting.startsWith("b loop "), "reconnected to b: " + state.get());
                assertEquals(-1, clients.get(id).reEndCode, state.get());
            }

            // b's graceful shutdown closes every WebSocket with 1001 (going away), and b exits cleanly
            Cluster.signal(b, "TERM");
            loop.join(30_000);
            assertFalse(loop.isAlive(), "the clients end: " + state.get());
            assertNoFailure(clients, state);
            assertTrue(b.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, b.process.exitValue(), b.lifecycle.toString());
            long goingAway = clients.stream().filter(c -> (onA.contains(c.id) ? c.reEndCode : c.endCode) == 1001)
                    .count();

            String counts = "connections " + clients.size() + ", on a " + onA.size() + " " + onA + ", on b "
                    + onB.size() + " " + onB + "; when a was killed " + ended.size() + " ended (1006) " + ended
                    + ", messages sent on them and not answered " + unanswered + ", on b's connections "
                    + echoedOnBAfterKill + " messages echoed after the kill; reconnected " + onA.size()
                    + ", all on b; closed with 1001 by b's SIGTERM " + goingAway;
            System.out.println("nginx failover ws: " + counts);
            assertTrue(unanswered <= onA.size(), "at most one message per connection was in flight: " + counts);
            assertEquals(clients.size(), goingAway, "every open WebSocket was closed with 1001: " + state.get());
        }
    }

    /** Each client on a line of its own: its greetings, counts and endings. */
    private static String describe(List<WsClient> clients) {
        StringBuilder b = new StringBuilder();
        for (WsClient c : clients) {
            b.append("\n  client ").append(c.id).append(": '").append(c.greeting).append("' sent ").append(c.sent)
                    .append(" echoed ").append(c.echoed).append(" ended ").append(c.endCode).append(" (")
                    .append(c.endError).append("), again: '").append(c.regreeting).append("' echoed ")
                    .append(c.reEchoed).append(" ended ").append(c.reEndCode)
                    .append(c.failure == null ? "" : ", failed: " + c.failure);
        }
        return b.toString();
    }

    private static void assertNoFailure(List<WsClient> clients, Supplier<String> state) {
        for (WsClient c : clients) {
            if (c.failure != null) {
                throw new AssertionError("client " + c.id + " failed: " + state.get(), c.failure);
            }
        }
    }

    /** Waits for a condition, generously (a loaded CI machine is slow), failing with the state if it never holds. */
    private static void waitUntil(BooleanSupplier condition, String what, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what + ": " + state.get());
            }
            Thread.sleep(20);
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
