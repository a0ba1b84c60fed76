package io.asyncio4j.group;

import io.asyncio4j.LoopGroup;
import io.asyncio4j.transport.Protocol;
import io.asyncio4j.transport.Server;
import io.asyncio4j.transport.ServerOptions;
import io.asyncio4j.transport.Transport;
import io.asyncio4j.transport.Transports;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A program for {@link GroupSignalTest}: a protocol server on a group of two loops, serving from
 * the main thread until SIGTERM shuts the group down gracefully. Prints {@code ready PORT}, then
 * its lifecycle.
 */
public final class GroupSignalMain {
    private GroupSignalMain() {
    }

    /**
     * Runs the server.
     *
     * @param args unused
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            group.shutdownOnSignal("TERM", Duration.ofSeconds(2));
            Server server = Transports.createServer(() -> new Protocol() {
                private Transport t;

                @Override
                public void connectionMade(Transport transport) {
                    t = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    t.write(data);
                }
            }, "127.0.0.1", 0, ServerOptions.defaults().withLoopGroup(group));
            System.out.println("ready " + server.port());
            server.serveForever(); // returns once the shutdown stopped the listeners
            System.out.println("serveForever returned");
            group.waitShutdownRequested();
        }
        System.out.println("group closed");
    }
}
