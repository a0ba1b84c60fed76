package io.asyncio4j.bench;

import io.asyncio4j.Asyncio;
import io.asyncio4j.stream.Protocol;
import io.asyncio4j.stream.Server;
import io.asyncio4j.stream.Transport;
import io.asyncio4j.stream.Transports;
import java.nio.ByteBuffer;

/**
 * The {@code echo} workload's server: a protocol-based TCP echo server on 127.0.0.1, the fast
 * path of asyncio4j servers (the loop hands each read to the protocol, which writes it back; no
 * task switch per message). Prints {@code ready} once listening and serves until killed.
 */
final class EchoServer {
    private EchoServer() {
    }

    /** Echoes every byte it receives. */
    private static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    static void serve(int port) {
        Asyncio.run(() -> {
            try (Server server = Transports.createServer(Echo::new, "127.0.0.1", port)) {
                System.out.println("ready");
                System.out.flush();
                server.serveForever();
            }
        });
    }
}
