package io.asyncio4j.bench;

import io.asyncio4j.Asyncio;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import java.nio.ByteBuffer;

/**
 * The {@code echo} workload's server: a protocol-based TCP echo server on 127.0.0.1, the fast
 * path of asyncio4j servers (the loop hands each read to the protocol, which writes it back; no
 * task switch per message). With {@code streams}, the same with a task per connection reading
 * and writing through streams, as the asyncio peer does. Prints {@code ready} once listening and
 * serves until killed.
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

    /** A task per connection: read what arrived, write it back, drain. */
    private static void echoStream(StreamReader reader, StreamWriter writer) throws java.io.IOException {
        try {
            while (true) {
                byte[] data = reader.read(65536);
                if (data.length == 0) {
                    break;
                }
                writer.write(data);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    static void serve(int port, boolean streams) {
        Asyncio.run(() -> {
            try (Server server = streams
                    ? Streams.startServer(EchoServer::echoStream, "127.0.0.1", port)
                    : Transports.createServer(Echo::new, "127.0.0.1", port)) {
                System.out.println("ready");
                System.out.flush();
                server.serveForever();
            }
        });
    }
}
