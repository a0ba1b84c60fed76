package io.asyncio4j.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.internal.task.Drivers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SIGTERM to a process serving on a loop group: stop listening, drain, cancel, close, exit 0. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupSignalTest {

    @Test
    void sigtermStopsTheListenersDrainsTheConnectionsThenClosesThemAndTheProcessExits() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Drivers.mode().equals("fast")) {
            cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GroupSignalMain.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("ready "), String.valueOf(ready));
            int port = Integer.parseInt(ready.substring(6));
            Socket open = new Socket("127.0.0.1", port);
            open.getOutputStream().write('x');
            assertEquals('x', open.getInputStream().read());
            long t0 = System.nanoTime();
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            assertEquals("serveForever returned", out.readLine(), "the listeners stopped at once");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            open.getOutputStream().write('y'); // still served during the drain
            assertEquals('y', open.getInputStream().read());
            open.setSoTimeout(10_000);
            assertEquals(-1, open.getInputStream().read(), "closed when the drain time was over");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 1_500, "the drain lasted its 2 s: " + ms + " ms");
            open.close();
            assertEquals("group closed", out.readLine());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
