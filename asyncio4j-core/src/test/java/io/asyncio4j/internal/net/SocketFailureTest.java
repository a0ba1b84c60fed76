package io.asyncio4j.internal.net;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** One failure type per cause: every socket failure a transport reports is a SocketException. */
class SocketFailureTest {

    @Test
    void aResetReportedByAWriteAsAPlainIOExceptionBecomesASocketExceptionWithItAsCause() {
        // what the JDK throws from SocketChannel.write after a reset; a read throws SocketException
        IOException fromWrite = new IOException("Connection reset by peer");
        Throwable seen = TcpTransport.socketFailure(fromWrite);
        assertInstanceOf(SocketException.class, seen);
        assertEquals("Connection reset by peer", seen.getMessage());
        assertSame(fromWrite, seen.getCause());
    }

    @Test
    void socketExceptionsAndNonIoErrorsPassAsTheyAre() {
        SocketException reset = new SocketException("Connection reset");
        assertSame(reset, TcpTransport.socketFailure(reset));
        IllegalStateException bug = new IllegalStateException("a bug");
        assertSame(bug, TcpTransport.socketFailure(bug));
    }
}
