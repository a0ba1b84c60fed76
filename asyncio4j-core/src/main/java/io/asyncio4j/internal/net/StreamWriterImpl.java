package io.asyncio4j.internal.net;

import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.transport.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import io.asyncio4j.transport.Transports;
import io.asyncio4j.transport.ExtraInfo;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.ops.Await;
import io.asyncio4j.internal.ops.Shield;

/** The one implementation of {@link io.asyncio4j.stream.StreamWriter}. */
public final class StreamWriterImpl implements StreamWriter {
    private Transport transport;
    private final StreamProtocol protocol;
    private final StreamReader reader;

    StreamWriterImpl(Transport transport, StreamProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public void write(byte[] data) {
        transport.write(data);
    }

    @Override
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    @Override
    public void writelines(List<byte[]> data) {
        transport.writelines(data);
    }

    @Override
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    @Override
    public void writeEof() {
        transport.writeEof();
    }

    @Override
    public <T> T getExtraInfo(ExtraInfo<T> key) {
        return transport.getExtraInfo(key);
    }

    @Override
    public void drain() throws IOException {
        Throwable readerError = reader.exception();
        if (readerError != null) {
            throw Sneaky.rethrow(readerError);
        }
        if (transport.isClosing()) {
            // yield once so that a pending connectionLost can run, as asyncio does
            TaskImpl<?> t = TaskImpl.currentOrThrow("StreamWriter.drain()");
            t.yieldOnce();
            if (protocol.isLost()) {
                throw protocol.lostException();
            }
        }
        protocol.drainHelper();
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public boolean isClosing() {
        return transport.isClosing();
    }

    @Override
    public void waitClosed() throws IOException {
        // shielded: a cancelled waiter must not cancel the connection's own close future
        Await.await(Shield.shield(protocol.closed));
    }

    @Override
    public void startTls(javax.net.ssl.SSLContext context, String serverHostname) throws IOException {
        Transport tls = Transports.startTls(transport, protocol, context, false, serverHostname);
        transport = tls;
        protocol.replaceTransport(tls);
    }

    @Override
    public void startTlsServerSide(javax.net.ssl.SSLContext context) throws IOException {
        Transport tls = Transports.startTls(transport, protocol, context, true, null);
        transport = tls;
        protocol.replaceTransport(tls);
    }

    @Override
    public String toString() {
        return "<StreamWriter transport=" + transport + ">";
    }
}
