package io.asyncio4j.stress;

import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Task;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.sync.Semaphore;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.transport.Server;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Connection churn: ten thousand connections, two hundred at a time, each opened, used for one
 * echoed line and closed, half by the client and half by the server; afterwards the process has
 * the file descriptors it had before (nothing leaked, on either side).
 */
class ConnectionChurnStressTest {
    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @AsyncioTest(timeoutSeconds = 240)
    void tenThousandConnectionsComeAndGoWithoutLeakingADescriptor() throws Exception {
        int before = openFds();
        int n = 10_000;
        Semaphore inFlight = new Semaphore(200);
        try (Server server = Streams.startServer((r, w) -> {
            byte[] line = r.readLine();
            w.write(line);
            w.drain();
            if (line[0] % 2 == 0) {
                w.close(); // the server closes half of them first
            } else {
                r.read(); // the client closes the other half
                w.close();
            }
        }, "127.0.0.1", 0)) {
            int port = server.port();
            List<Task<Void>> clients = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] msg = ((char) ('a' + i % 26) + "-" + i + "\n").getBytes(StandardCharsets.US_ASCII);
                clients.add(createTask(() -> {
                    try (var _ = inFlight.acquire()) {
                        Streams.Connection c = Streams.openConnection("127.0.0.1", port);
                        c.writer().write(msg);
                        c.writer().drain();
                        assertArrayEquals(msg, c.reader().readLine());
                        c.close();
                    }
                }));
            }
            await(gather(clients));
            server.closeClients();
        }
        if (before > 0) {
            int after = openFds();
            assertTrue(after <= before + 2, "descriptors before " + before + ", after " + after);
        }
    }
}
