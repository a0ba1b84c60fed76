package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** wrk, briefly: many keep-alive connections, no socket errors, every answer a 200. */
class WrkInteropTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void wrkGetsOnlyOkAnswersOverManyConnections() throws Exception {
        String wrk = Tools.require("wrk", "wrk");
        try (BackgroundServer server = BackgroundServer.start(InteropApp.create(null))) {
            Tools.Run r = Tools.run(30, wrk, "-t1", "-c64", "-d2s", "--latency", "http://127.0.0.1:" + server.port()
                    + "/");
            assertEquals(0, r.exit(), r.out());
            assertFalse(r.out().contains("Socket errors"), r.out());
            assertFalse(r.out().contains("Non-2xx"), r.out());
            Matcher m = Pattern.compile("(\\d+) requests in").matcher(r.out());
            assertTrue(m.find(), r.out());
            assertTrue(Long.parseLong(m.group(1)) > 1000, r.out());
            Tools.Run slow = Tools.run(30, wrk, "-t1", "-c32", "-d1s", "http://127.0.0.1:" + server.port() + "/slow");
            assertFalse(slow.out().contains("Socket errors") || slow.out().contains("Non-2xx"), slow.out());
        }
    }
}
