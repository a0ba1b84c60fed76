package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Many requests over a pool against a server that closes keep-alive connections at random: after
 * a response that says so, after one that does not, or instead of answering (the stale race).
 * Every request must get its own full body or a typed error, nothing may hang, and no file
 * descriptor may be left open.
 */
final class RandomClose {
    private RandomClose() {
    }

    /** What happened to the requests. */
    record Result(int ok, int disconnected, long created, long reused) {
    }

    static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    static java.util.Set<String> fdTargets() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        String[] fds = new File("/proc/self/fd").list();
        for (String fd : fds == null ? new String[0] : fds) {
            try {
                out.add(fd + " -> " + java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd)));
            } catch (java.io.IOException e) {
                // closed meanwhile
            }
        }
        return out;
    }

    static Result run(int requests, int pool, long seed) throws Exception {
        // the JVM opens some files lazily, once (the default TLS context's /dev/random): not a leak
        round(Math.min(requests, 50), pool, seed, false);
        return round(requests, pool, seed, true);
    }

    private static Result round(int requests, int pool, long seed, boolean checkFds) throws Exception {
        Random random = new Random(seed);
        int before = openFds();
        java.util.Set<String> beforeSet = fdTargets();
        int ok = 0;
        int disconnected = 0;
        long created;
        long reused;
        try (RawServer raw = RawServer.start((r, w) -> {
            String path = r.line().split(" ")[1];
            String body = "body of " + path + " " + "x".repeat(random.nextInt(3000));
            int dice = random.nextInt(10);
            if (dice == 0 && r.index() > 0) {
                return false; // closes as the request arrives: the client must retry
            }
            String close = dice == 1 ? "Connection: close\r\n" : "";
            String head = "HTTP/1.1 200 OK\r\n" + close + "Content-Length: " + body.length() + "\r\n\r\n";
            if (dice == 2) {
                w.write(RawServer.ascii(head + body)); // chunked into two writes with a pause between
            } else {
                w.write(RawServer.ascii(head));
                w.drain();
                w.write(RawServer.ascii(body));
            }
            return dice > 2; // dice 1 and 2: close after the response (said or not)
        }); ClientSession session = ClientSession.open(ClientOptions.defaults().withLimit(pool))) {
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String path = "/r" + i;
                tasks.add(Asyncio.createTask(() -> {
                    try (ClientResponse r = session.get(raw.url(path))) {
                        return r.text();
                    } catch (ServerDisconnectedError e) {
                        return "disconnected";
                    }
                }));
            }
            for (int i = 0; i < requests; i++) {
                String got = Asyncio.waitFor(tasks.get(i), java.time.Duration.ofSeconds(60));
                if (got.equals("disconnected")) {
                    disconnected++;
                } else {
                    assertTrue(got.startsWith("body of /r" + i + " "), "request " + i + " got " + got);
                    ok++;
                }
            }
            created = session.poolStats().created();
            reused = session.poolStats().reused();
            assertTrue(session.poolStats().connections() <= pool);
        }
        for (int i = 0; i < 50 && checkFds && openFds() > before; i++) {
            Asyncio.sleep(java.time.Duration.ofMillis(20));
        }
        java.util.Set<String> after = fdTargets();
        after.removeAll(beforeSet);
        if (checkFds) {
            assertEquals(before, openFds(), "file descriptors before and after; new: " + after);
        }
        assertEquals(requests, ok + disconnected);
        return new Result(ok, disconnected, created, reused);
    }
}
