package io.asyncio4j.examples;

import static io.asyncio4j.Asyncio.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.asyncio4j.transport.Server;
import io.asyncio4j.stream.Streams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-run echo programs, {@link EchoServer} and {@link EchoClient}, talking on loopback. */
class EchoServerTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, UTF_8);

    private static int port(Server server) {
        return server.port();
    }

    private List<String> outLinesWithoutPorts() {
        return bytes.toString(UTF_8).lines().map(l -> l.replaceAll("', \\d+\\)", "', PORT)")).toList();
    }

    @Test
    void theClientGetsItsMessageBackAndEachSideSaysWhatItDid() {
        String reply = run(() -> {
            try (Server server = EchoServer.start("127.0.0.1", 0, out)) {
                return EchoClient.tcpEchoClient("don't panic", "127.0.0.1", port(server), out);
            }
        });

        assertEquals("don't panic", reply);
        assertEquals(List.of(
                "Serving on ('127.0.0.1', PORT)",
                "Send: \"don't panic\"",
                "Received \"don't panic\" from ('127.0.0.1', PORT)",
                "Send: \"don't panic\"",
                "Received: \"don't panic\"",
                "Close the connection",
                "Close the connection"), outLinesWithoutPorts());
    }

    @Test
    void theServerEchoesEveryLineUntilTheClientCloses() {
        byte[] echoed = run(() -> {
            try (Server server = EchoServer.start("127.0.0.1", 0, out)) {
                Streams.Connection connection = Streams.openConnection("127.0.0.1", port(server));
                connection.writer().write("one\ntwo\n".getBytes(UTF_8));
                connection.writer().writeEof();
                byte[] all = connection.reader().read();
                connection.close();
                return all;
            }
        });

        assertArrayEquals("one\ntwo\n".getBytes(UTF_8), echoed);
        assertEquals(List.of(
                "Serving on ('127.0.0.1', PORT)",
                "Received 'one' from ('127.0.0.1', PORT)",
                "Send: 'one'",
                "Received 'two' from ('127.0.0.1', PORT)",
                "Send: 'two'",
                "Close the connection"), outLinesWithoutPorts());
    }
}
