package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EchoTest {

    @Test
    void theClientGetsItsMessageBackAndBothSidesClose() {
        Run run = Run.of(Echo::demo);

        assertEquals(List.of(
                "[server] Serving on ('127.0.0.1', PORT)",
                "[client] Send: 'Hello World!'",
                "[server] Received 'Hello World!' from ('127.0.0.1', PORT)",
                "[server] Send: 'Hello World!'",
                "[server] Close the connection",
                "[client] Received: 'Hello World!'",
                "[client] Close the connection"), run.linesWithoutTimesAndPorts());
        run.assertTookBetween(0, 2.0);
    }
}
