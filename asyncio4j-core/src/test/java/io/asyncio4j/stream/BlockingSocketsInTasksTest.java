package io.asyncio4j.stream;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Task;
import io.asyncio4j.internal.task.Drivers;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.time.Duration;

/**
 * Tasks that do blocking {@link java.net.Socket} I/O. On the fast path a blocked task's virtual
 * thread leaves the loop thread, so the loop runs other tasks meanwhile and the blocked tasks
 * proceed concurrently. On the compatibility path a blocking call keeps the loop (as a blocking
 * call in an asyncio coroutine blocks its loop): the tasks run one after the other.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingSocketsInTasksTest {
    private static final long REPLY_DELAY_MS = 200;

    /**
     * A blocking echo server on platform threads: reads an int, waits, writes it back plus one.
     */
    private static final class SlowEchoServer implements AutoCloseable {
        final ServerSocket listener;
        final ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

        SlowEchoServer() throws IOException {
            listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            threads.execute(this::acceptLoop);
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    threads.execute(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void serve(Socket s) {
            try (s) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                int v = in.readInt();
                Thread.sleep(REPLY_DELAY_MS);
                out.writeInt(v + 1);
                out.flush();
            } catch (IOException | InterruptedException ignored) {
                // the client's assertion fails instead
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            threads.shutdownNow();
        }
    }

    /** One blocking request: connect, write, read the reply. */
    private static int request(int port, int v) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            new DataOutputStream(s.getOutputStream()).writeInt(v);
            return new DataInputStream(s.getInputStream()).readInt();
        }
    }

    private record Outcome(long elapsedMs, int ticks, int correct) {
    }

    private static Outcome runTasks(int port, int n) {
        return AsyncTesting.run(() -> {
            int[] ticks = {0};
            boolean[] stop = {false};
            Task<Void> ticker = createTask(() -> {
                while (!stop[0]) {
                    ticks[0]++;
                    sleep(Duration.ofMillis(10));
                }
            });
            long t0 = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int v = i * 10;
                tasks.add(createTask(() -> request(port, v)));
            }
            int correct = 0;
            for (int i = 0; i < n; i++) {
                if (await(tasks.get(i)) == i * 10 + 1) {
                    correct++;
                }
            }
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            int during = ticks[0];
            stop[0] = true;
            await(ticker);
            return new Outcome(elapsed, during, correct);
        });
    }

    /**
     * Checks that virtual threads outside any loop still do socket I/O once the loop is closed: the
     * JDK's pollers (virtual threads that inherit their creator's scheduler) must not have been
     * made by, and bound to, the loop whose task blocked first.
     */
    private static void assertOtherVirtualThreadsStillDoSocketIo(int port) throws InterruptedException {
        int[] reply = {-1};
        Thread vt = Thread.ofVirtual().start(() -> {
            try {
                reply[0] = request(port, 41);
            } catch (IOException e) {
                reply[0] = -2;
            }
        });
        assertTrue(vt.join(java.time.Duration.ofSeconds(5)), "a plain virtual thread hangs in socket I/O");
        assertEquals(42, reply[0]);
    }

    @Test
    void onTheFastPathBlockingTasksRunConcurrentlyAndTheLoopKeepsRunning() throws Exception {
        assumeTrue(Drivers.mode().equals("fast"), "the fast path only");
        int n = 100;
        try (SlowEchoServer server = new SlowEchoServer()) {
            Outcome o = runTasks(server.port(), n);
            assertEquals(n, o.correct());
            // one after the other would take n * 200 ms = 20 s
            assertTrue(o.elapsedMs() < 5_000, "the tasks blocked concurrently: " + o.elapsedMs() + " ms");
            assertTrue(o.ticks() >= 5, "the ticker kept ticking while tasks blocked: " + o.ticks());
            assertOtherVirtualThreadsStillDoSocketIo(server.port());
        }
    }

    @Test
    void onTheCompatibilityPathABlockingCallHoldsTheLoopSoTheTasksSerialize() throws Exception {
        assumeTrue(Drivers.mode().equals("compat"), "the compatibility path only");
        int n = 5;
        try (SlowEchoServer server = new SlowEchoServer()) {
            Outcome o = runTasks(server.port(), n);
            assertEquals(n, o.correct());
            assertTrue(o.elapsedMs() >= n * REPLY_DELAY_MS - 20,
                    "the documented limit: blocking calls hold the loop, one at a time: " + o.elapsedMs() + " ms");
            // the ticker runs only between the blocking calls: a tick or two per task at most
            assertTrue(o.ticks() <= 2 * n + 2, "the loop was held during each call: " + o.ticks() + " ticks");
            assertOtherVirtualThreadsStillDoSocketIo(server.port());
        }
    }
}
