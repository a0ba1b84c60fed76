package io.asyncio4j.stream;

import static io.asyncio4j.stream.NetTesting.HOST;
import static io.asyncio4j.stream.NetTesting.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.asyncio4j.AsyncTesting;
import io.asyncio4j.Asyncio;
import io.asyncio4j.transport.Transports;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.Transport;

/**
 * Tasks started eagerly from a protocol's callbacks run their first step inside the I/O
 * dispatch; they may then park in any way (a JDK park such as Thread.sleep, a loop sleep, a
 * contended monitor) and resume later. Regression: handlers used to run inside the selector's
 * own monitor, where a parking virtual thread made the JVM crash in thaw or keep the monitor.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoCallbackTasksTest {
    private static final Object LOCK = new Object();

    /** A protocol that answers each read from an eager task that parks first. */
    private static Server server(int how) throws java.io.IOException {
        return Transports.createServer(() -> new Protocol() {
            private Transport t;

            @Override
            public void connectionMade(Transport transport) {
                t = transport;
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                data.position(data.limit());
                Asyncio.createEagerTask(() -> {
                    switch (how) {
                        case 0 -> Thread.sleep(2);                     // the JDK parks the virtual thread
                        case 1 -> Asyncio.sleep(Duration.ofMillis(2)); // the loop parks the task
                        default -> {
                            synchronized (LOCK) {                       // a monitor another thread may hold
                                LOCK.notifyAll();
                            }
                        }
                    }
                    t.write(bytes("ok"));
                    return null;
                });
            }
        }, HOST, 0);
    }

    private static void roundTrips(int how) {
        AsyncTesting.run(() -> {
            Thread holder = Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < 50; i++) {
                    synchronized (LOCK) {
                        try {
                            LOCK.wait(3);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            try (Server s = server(how)) {
                for (int i = 0; i < 30; i++) {
                    Streams.Connection c = Streams.openConnection(HOST, s.port());
                    c.writer().write(bytes("x"));
                    byte[] got = Asyncio.waitFor(() -> c.reader().readExactly(2), Duration.ofSeconds(5));
                    assertEquals("ok", NetTesting.text(got));
                    c.close();
                }
            }
            holder.interrupt();
        });
    }

    @Test
    void anEagerTaskThatSleepsInTheJdkResumesAndAnswers() {
        roundTrips(0);
    }

    @Test
    void anEagerTaskThatSleepsOnTheLoopResumesAndAnswers() {
        roundTrips(1);
    }

    @Test
    void anEagerTaskThatEntersAContendedMonitorResumesAndAnswers() {
        roundTrips(2);
    }
}
