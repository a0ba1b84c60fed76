package io.asyncio4j.bench;

import io.asyncio4j.Asyncio;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.transport.ServerOptions;
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
 * serves until killed. {@code -Dasyncio4j.bench.loops=N} serves on a {@link LoopGroup} of N loops
 * (the kernel spreads the connections with {@code SO_REUSEPORT}), started and waited for from the
 * main thread, which runs no loop.
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
        int loops = Integer.getInteger("asyncio4j.bench.loops", 0);
        if (loops > 0) {
            try (LoopGroup group = LoopGroup.open(loops);
                 Server server = start(port, streams, ServerOptions.defaults().withLoopGroup(group))) {
                System.out.println("ready");
                System.out.flush();
                server.serveForever();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        Asyncio.run(() -> {
            try (Server server = start(port, streams, ServerOptions.defaults())) {
                System.out.println("ready");
                System.out.flush();
                server.serveForever();
            }
        });
    }

    private static Server start(int port, boolean streams, ServerOptions options) throws java.io.IOException {
        return streams
                ? Streams.startServer(EchoServer::echoStream, "127.0.0.1", port, options)
                : Transports.createServer(Echo::new, "127.0.0.1", port, options);
    }
}
