package io.asyncio4j.http.server;

import static io.asyncio4j.http.server.HttpTesting.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.stream.Streams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Under -Pstress: many connections at once, each with pipelined requests, some cut off. */
class ServerStressTest {

    @HttpTest
    void twoThousandConnectionsWithPipelinedRequestsAreAllAnsweredInOrder(TestClients clients) throws Exception {
        Application app = new Application();
        app.router().get("/{n}", r -> {
            int n = Integer.parseInt(r.matchInfo("n"));
            if (n % 3 == 0) {
                Asyncio.sleep(Duration.ofMillis(1)); // some handlers suspend, some do not
            }
            return Response.text("r" + n);
        });
        TestClient tc = clients.start(app);
        int connections = 2000;
        int perConnection = 20;
        List<Task<Boolean>> tasks = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int id = c;
            tasks.add(Asyncio.createTask(() -> {
                Streams.Connection conn = Streams.openConnection("127.0.0.1", tc.port());
                StringBuilder req = new StringBuilder();
                for (int i = 0; i < perConnection; i++) {
                    req.append("GET /").append(i).append(" HTTP/1.1\r\nHost: x\r\n")
                            .append(i == perConnection - 1 ? "Connection: close\r\n" : "").append("\r\n");
                }
                if (id % 10 == 0) {
                    conn.writer().write(ascii(req.substring(0, req.length() / 2))); // cut off midway
                    conn.close();
                    return true;
                }
                conn.writer().write(ascii(req.toString()));
                String reply = HttpTesting.readAll(conn, 30_000);
                conn.close();
                int at = 0;
                for (int i = 0; i < perConnection; i++) {
                    int next = reply.indexOf("\r\n\r\nr" + i, at);
                    if (next < at) {
                        return false;
                    }
                    at = next + 1;
                }
                return reply.endsWith("<EOF>");
            }));
        }
        int ok = 0;
        for (Task<Boolean> t : tasks) {
            if (Asyncio.await(t)) {
                ok++;
            }
        }
        assertEquals(connections, ok);
        for (int i = 0; i < 100 && tc.runner().connectionCount() > 0; i++) {
            Asyncio.sleep(Duration.ofMillis(20));
        }
        assertEquals(0, tc.runner().connectionCount(), "every connection was closed");
        assertTrue(tc.runner().requestsInFlight() == 0);
    }
}
