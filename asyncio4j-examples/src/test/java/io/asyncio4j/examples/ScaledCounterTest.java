package io.asyncio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.ServerSettings;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-loop counter example: every hit counted once, on some loop, added up on demand. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScaledCounterTest {

    private static String get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
            return reply.substring(reply.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void hitsFromManyClientsAreCountedOnTheirLoopsAndAddedUpOnDemand() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            String stats = Asyncio.run(() -> {
                try (AppRunner runner = new AppRunner(ScaledCounter.app(group),
                        ServerSettings.defaults().withAccessLog(false), group)) {
                    runner.setup();
                    int port = runner.addTcpSite("127.0.0.1", 0).port();
                    return Asyncio.toThread(() -> {
                        List<Thread> clients = new ArrayList<>();
                        for (String name : List.of("alice", "bob", "carol", "alice")) {
                            clients.add(Thread.ofPlatform().start(() -> {
                                for (int k = 0; k < 50; k++) {
                                    try {
                                        assertTrue(get(port, "/hit/" + name).startsWith("loop "));
                                    } catch (IOException e) {
                                        throw new java.io.UncheckedIOException(e);
                                    }
                                }
                            }));
                        }
                        for (Thread t : clients) {
                            t.join();
                        }
                        return get(port, "/stats");
                    });
                }
            });
            assertTrue(stats.contains("\"totals\":{\"alice\":100,\"bob\":50,\"carol\":50}"), stats);
            String loops = stats.substring(stats.indexOf("\"loops\":[") + 9, stats.indexOf(']'));
            String[] perLoop = loops.split(",");
            assertEquals(2, perLoop.length, stats);
            assertEquals(200, Long.parseLong(perLoop[0]) + Long.parseLong(perLoop[1]), stats);
            assertTrue(Long.parseLong(perLoop[0]) > 0 && Long.parseLong(perLoop[1]) > 0, "both loops served: " + stats);
        }
    }
}
