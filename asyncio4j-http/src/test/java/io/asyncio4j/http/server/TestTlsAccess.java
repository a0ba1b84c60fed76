package io.asyncio4j.http.server;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** The test certificate, for tests outside this package. */
public final class TestTlsAccess {
    private TestTlsAccess() {
    }

    /** {@return a server context for localhost} */
    public static SSLContext serverContext() {
        return TestTls.get().serverContext();
    }

    /** {@return a client context trusting it} */
    public static SSLContext clientContext() {
        return TestTls.get().clientContext();
    }

    /** {@return the certificate as PEM, for curl, Python and Node} */
    public static Path certPem() {
        return TestTls.get().certPem;
    }
}
